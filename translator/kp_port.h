/* kp_port.h: the `kpiport port` and `kpiport scan` pipeline:
 * kbuild -> config -> analyze -> map -> rewrite -> emit.  A kp_port holds
 * what each stage learned; each stage is a function of the stages before. */
#ifndef KP_PORT_H
#define KP_PORT_H

#include <jansson.h>
#include "kp_kbuild.h"
#include "kp_map.h"
#include "kp_tree.h"
#include "kp_util.h"

typedef struct kp_options {
	const char *driver;     /* DRIVER argument */
	const char *linux_dir;  /* --linux, or NULL */
	const char *out;        /* -o, or NULL (scan) */
	const char *rules;      /* rules.cocci manifest */
	const char *mappings;   /* mappings dir */
	int jobs;               /* -j */
	int force;              /* --force: replace an existing port dir */
} kp_options;

typedef struct kp_port {
	kp_options opt;
	kt_tree tree;
	kb_module *module;
	char *fragment;         /* full config fragment text */
	ku_strv extra_fragment; /* lines the import stage needs (CONFIG_CRC32=y ...) */
	ku_strv chain;          /* dependency chain ("SYM (why)") */
	char *builddir;
	ku_strv objects;        /* objects actually built (cond ones resolved) */
	ku_strv sources;        /* absolute .c paths */
	ku_strv *args;          /* per source: compiler args */
	char *driver_dir;       /* absolute: the module's directory */
	char *ext_dir;          /* external module (outside the tree, kbuild M=): its dir */
	char *ext_symbol;       /* its Kconfig symbol, from its own Kconfig file */
	ku_strv ext_config;     /* its own Kconfig symbols' values ("CONFIG_X=y") */
	ku_strv companions;     /* tree-relative .c of modules on the same obj- line (8390.c) */
	json_t *inventory;      /* merged ka_ inventory of the driver's sources */
	json_t **docs;          /* per-source analysis documents (driver, then imports) */
	size_t ndocs;
	ku_strv imp_sources;    /* absolute paths of imported tree files */
	ku_strv imp_objects;    /* their tree-relative objects */
	ku_strv *imp_args;      /* their compiler args */
	json_t *imports;        /* [{file, symbols, reason}] */
	json_t *closure;        /* merged inventory of driver + imports (what must link) */
	km_table *map;
	json_t *dispositions;   /* array: {symbol, kind, disposition, target, ...} */
	json_t *rules_log;      /* array: per rule group {group, title, files, sites, commit} */
	json_t *misses;         /* array: rename sites spatch did not change */
	char *out_abs;          /* opt.out made absolute, when it was relative */
	double t_start;
	json_t *timings;        /* object: stage -> seconds */
} kp_port;

void kp_port_init(kp_port *p, const kp_options *opt);
void kp_port_free(kp_port *p);

/* Stages up to and including the dispositions (what `scan` prints):
 * kbuild first (it names the module), then the rest. */
int kp_scan(kp_port *p);
int kp_scan_kbuild(kp_port *p);
int kp_scan_rest(kp_port *p);
/* -1 with ku_err("interrupted by SIGINT") once a signal asked us to stop. */
int kp_check_interrupted(void);
/* The whole pipeline into opt.out. */
int kp_port_run(kp_port *p);

/* Stage helpers shared by kp_port.c and kp_emit.c. */
int kp_analyze_all(kp_port *p);
/* Redo the config stage (after extra_fragment grew) and the driver analysis. */
int kp_reconfigure(kp_port *p);
/* Analyse sources (parallel, cached) with driver_dir as "own files"; docs[i]
 * receives each source's document. */
int kp_analyze_set(kp_port *p, const ku_strv *sources, ku_strv *args, const char *driver_dir,
		   json_t **docs);
int kp_dispose(kp_port *p);
/* Dispositions of `syms` (an inventory "symbols" array) appended to `out`;
 * needed_by labels symbols only imported files need. */
int kp_dispose_symbols(kp_port *p, json_t *syms, json_t *out, const char *needed_by);
/* kpiport_stubs.c for the port (kp_stubs.c); number of stubs in it. */
char *kp_stubs_source(const kp_port *p);
size_t kp_stub_count(const kp_port *p);
/* Where a tree-relative file lives in the port dir (kp_run.c). */
char *kp_port_path(const kp_port *p, const char *tree_rel);
/* The port's CMakeLists.txt, and its machine-specific inputs (kp_buildfiles.c). */
char *kp_port_cmake(const kp_port *p);
int kp_port_build_inputs(const kp_port *p, const char *work);
/* `kpiport build PORTDIR --target T` (kp_build.c); for T = redox, whether
 * a Redox toolchain linked the daemon or the objects were only checked. */
int kp_build(const char *portdir, const char *target, int jobs);
int kp_build_redox_linked(const char *portdir);
/* Import by symbol closure (kp_imports.c): after kp_dispose. */
int kp_imports(kp_port *p);
int kp_emit(kp_port *p, const char *workdir);
double kp_now(void);

/* A string member of a JSON object, or "" (inventory fields are optional). */
static inline const char *kp_jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

#endif
