/* kp_disp.c: the map stage: every symbol of the inventory gets its
 * disposition from the mapping tables.  Header-provided names (inline
 * functions, macros, types) need nothing unless a table says otherwise; an
 * out-of-line name no table mentions becomes a generated stub and is listed
 * as a porting TODO; an `unsupported` name the driver uses stops the port. */
#include "kp_port.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int kp_dispose(kp_port *p)
{
	json_decref(p->dispositions);
	p->dispositions = json_array();
	return kp_dispose_symbols(p, json_object_get(p->inventory, "symbols"), p->dispositions, NULL);
}

int kp_dispose_symbols(kp_port *p, json_t *syms, json_t *out, const char *needed_by)
{
	ku_buf refused = {0};
	size_t i;
	json_t *s;
	json_array_foreach(syms, i, s) {
		const char *name = kp_jstr(s, "name");
		const char *provided = kp_jstr(s, "provided");
		const km_entry *e = km_lookup(p->map, name);
		json_t *d = json_object();
		json_object_set_new(d, "symbol", json_string(name));
		if (needed_by)
			json_object_set_new(d, "needed_by", json_string(needed_by));
		json_object_set_new(d, "kind", json_string(kp_jstr(s, "kind")));
		json_object_set_new(d, "provided", json_string(provided));
		json_object_set_new(d, "header", json_string(kp_jstr(s, "header")));
		if (*kp_jstr(s, "prototype"))
			json_object_set_new(d, "prototype", json_string(kp_jstr(s, "prototype")));
		json_object_set(d, "direct", json_object_get(s, "direct") ? json_object_get(s, "direct")
									  : json_false());
		json_object_set_new(d, "sites", json_integer((json_int_t)json_array_size(
							 json_object_get(s, "sites"))));
		const char *disp;
		if (e) {
			disp = km_kind_name(e->kind);
			if (e->target)
				json_object_set_new(d, "target", json_string(e->target));
			if (e->ret)
				json_object_set_new(d, "ret", json_string(e->ret));
			if (e->reason)
				json_object_set_new(d, "reason", json_string(e->reason));
			json_object_set_new(d, "table", json_sprintf("mappings/%s:%d",
								      ku_basename(e->file), e->line));
			if (e->kind == KM_UNSUPPORTED && json_is_true(json_object_get(s, "direct")))
				ku_buf_printf(&refused, "\n  %s (%s): %s", name, json_string_value(
						      json_object_get(d, "table")), e->reason);
		} else if (strcmp(provided, "extern") == 0 && p->companions.n &&
			   ku_startswith(kp_jstr(s, "header"), p->module->dir)) {
			/* Declared in the driver's own header and not defined by it:
			 * the module built beside it on the same obj- line defines it. */
			disp = "import";
			json_object_set_new(d, "target", json_string(p->companions.v[0]));
			json_object_set_new(d, "reason", json_sprintf(
				"declared in the driver's own %s; defined by the companion module on the "
				"same obj- line", kp_jstr(s, "header")));
		} else if (strcmp(provided, "extern") == 0) {
			disp = "stub";
			json_object_set_new(d, "reason", json_string(
				"no mapping table names it: a generated stub (porting TODO)"));
		} else {
			disp = "header";
		}
		json_object_set_new(d, "disposition", json_string(disp));
		json_array_append_new(out, d);
	}
	int rc = 0;
	if (refused.len)
		rc = ku_err("the driver uses APIs the mapping tables mark unsupported:%s", refused.s);
	ku_buf_free(&refused);
	return rc;
}
