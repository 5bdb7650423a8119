/* fuzz_lx_args.c: libFuzzer harness for the daemon's command-line reader
 * (runtime/lx/lx_args.c, the code lx_param.c applies).  The input's first
 * line is the module's parameter names, separated by blanks (a trailing
 * '!' marks a bool, which may stand alone); every further line is one
 * argument.  lx's real option table is not visible here (lx_param.c is
 * kernel code), so the harness uses one of the same shape.  Oracles:
 * each kind's promises (lx_args.h) hold - an OPTION or PARAM names what
 * its index says, a value is exactly what follows the first '=', a
 * suggestion is within the suggestion limit - and the distance is a
 * symmetric measure that is 0 exactly for equal names. */
#include "fuzz_util.h"
#include "lx_args.h"

#define FUZZ_MAX_PARAMS 8
#define FUZZ_MAX_ARGS 16

static const struct lx_opt fuzz_opts[] = {
	{"--help", 0, "print this help", 1},
	{"-h", 0, 0, 1},
	{"--list-ids", 0, "print the ID tables", 2},
	{"--strict", 0, "unknown parameters are errors", 3},
	{"--wdt-stop-after", "SECONDS", "stop pinging after SECONDS", 4},
	{"--wdt-no-start", 0, "register only", 5},
};
#define FUZZ_NOPTS ((int)(sizeof fuzz_opts / sizeof fuzz_opts[0]))

struct fuzz_params {
	char *names[FUZZ_MAX_PARAMS];
	int noarg[FUZZ_MAX_PARAMS];
	int n;
};

static const char *fuzz_pname(const void *ctx, int i)
{
	return ((const struct fuzz_params *)ctx)->names[i];
}

static int fuzz_pnoarg(const void *ctx, int i)
{
	return ((const struct fuzz_params *)ctx)->noarg[i];
}

static void check_distance(const char *a, int alen, const char *b)
{
	int blen = (int)strlen(b), big = LX_ARG_MAX_NAME + 8;
	int d = lx_arg_distance(a, alen, b, big);
	if (alen > LX_ARG_MAX_NAME || blen > LX_ARG_MAX_NAME) {
		FUZZ_CHECK(d == big + 1);
		return;
	}
	char *ac = strndup(a, (size_t)alen);
	FUZZ_CHECK(ac);
	FUZZ_CHECK(d == lx_arg_distance(b, blen, ac, big)); /* symmetric */
	FUZZ_CHECK((d == 0) == lx_arg_name_eq(a, alen, b));
	FUZZ_CHECK(d <= (alen > blen ? alen : blen));
	FUZZ_CHECK(d >= (alen > blen ? alen - blen : blen - alen));
	free(ac);
}

static void check_arg(const char *arg, const struct lx_arg *r, const struct fuzz_params *ps)
{
	const char *eq = strchr(arg, '=');
	FUZZ_CHECK(r->name_len == (eq ? (int)(eq - arg) : (int)strlen(arg)));
	FUZZ_CHECK(r->value == (eq ? eq + 1 : NULL));
	int limit = lx_arg_suggest_limit(r->name_len);
	switch (r->kind) {
	case LX_ARG_OPTION:
	case LX_ARG_OPT_NO_VALUE:
	case LX_ARG_OPT_EXTRA_VALUE: {
		FUZZ_CHECK(arg[0] == '-' && r->index >= 0 && r->index < FUZZ_NOPTS);
		const struct lx_opt *o = &fuzz_opts[r->index];
		FUZZ_CHECK((int)strlen(o->name) == r->name_len && !strncmp(o->name, arg, (size_t)r->name_len));
		FUZZ_CHECK(r->kind != LX_ARG_OPTION || !o->value == !r->value);
		FUZZ_CHECK(r->kind != LX_ARG_OPT_NO_VALUE || (o->value && !r->value));
		FUZZ_CHECK(r->kind != LX_ARG_OPT_EXTRA_VALUE || (!o->value && r->value));
		break;
	}
	case LX_ARG_BAD_OPTION:
		FUZZ_CHECK(arg[0] == '-' && r->index == -1);
		for (int i = 0; i < FUZZ_NOPTS; i++)
			FUZZ_CHECK((int)strlen(fuzz_opts[i].name) != r->name_len ||
				   strncmp(fuzz_opts[i].name, arg, (size_t)r->name_len));
		if (r->suggest >= 0)
			FUZZ_CHECK(fuzz_opts[r->suggest].help &&
				   lx_arg_distance(arg, r->name_len, fuzz_opts[r->suggest].name, limit) <= limit);
		break;
	case LX_ARG_PARAM:
	case LX_ARG_PARAM_NO_VALUE:
		FUZZ_CHECK(arg[0] != '-' && r->index >= 0 && r->index < ps->n);
		FUZZ_CHECK(lx_arg_name_eq(arg, r->name_len, ps->names[r->index]));
		FUZZ_CHECK(r->kind != LX_ARG_PARAM || r->value || ps->noarg[r->index]);
		FUZZ_CHECK(r->kind != LX_ARG_PARAM_NO_VALUE || (!r->value && !ps->noarg[r->index]));
		break;
	case LX_ARG_UNKNOWN:
		FUZZ_CHECK(arg[0] != '-' && r->index == -1);
		for (int i = 0; i < ps->n; i++) {
			FUZZ_CHECK(!lx_arg_name_eq(arg, r->name_len, ps->names[i]));
			check_distance(arg, r->name_len, ps->names[i]);
		}
		if (r->suggest >= 0)
			FUZZ_CHECK(r->suggest < ps->n &&
				   lx_arg_distance(arg, r->name_len, ps->names[r->suggest], limit) <= limit);
		break;
	default:
		FUZZ_CHECK(!"unknown kind");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char *lines[FUZZ_MAX_ARGS + 1];
	int nlines = 0;
	for (char *p = text; p && nlines <= FUZZ_MAX_ARGS;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		lines[nlines++] = p;
		p = nl ? nl + 1 : NULL;
	}
	struct fuzz_params ps = {.n = 0};
	for (char *save = NULL, *w = strtok_r(lines[0], " \t", &save); w && ps.n < FUZZ_MAX_PARAMS;
	     w = strtok_r(NULL, " \t", &save)) {
		size_t len = strlen(w);
		ps.noarg[ps.n] = len > 1 && w[len - 1] == '!';
		if (ps.noarg[ps.n])
			w[len - 1] = 0;
		ps.names[ps.n++] = w;
	}
	const struct lx_arg_params params = {ps.n, fuzz_pname, fuzz_pnoarg, &ps};
	for (int i = 1; i < nlines; i++) {
		struct lx_arg r;
		lx_arg_classify(lines[i], fuzz_opts, FUZZ_NOPTS, &params, &r);
		check_arg(lines[i], &r, &ps);
	}
	free(text);
	return 0;
}
