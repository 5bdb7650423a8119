/* kp_pipeline.h (prefix kpl_): the `kpiport port` and `kpiport scan`
 * pipelines.  Stages run in order, each a function of the values the
 * stages before it returned; the pipeline owns those values and hands
 * each stage what it reads, read-only:
 *
 *   kbuild   kp_driver     DRIVER -> tree, module, Kconfig symbol, companions
 *   config   kp_configure  Kconfig chain -> fragment -> kernel build dir -> flags
 *   analyze  kp_analysis   libclang, parallel and cached -> inventory (kp_inv)
 *   map      kp_disp       mapping tables (kp_map) -> dispositions
 *   resolve  kp_resolve    import fix-point -> dispositions, imports, closure
 *                          (and the config and analysis again when it grew)
 *   --- port only, in a staged dir beside OUT (kp_outdir) ---
 *   upstream kp_upstream   upstream + imports commits
 *   rewrite  kp_rewrite    one commit per rule group (kp_spatch, kp_edit)
 *   stubs    kp_stubs      kpiport_stubs.c commit
 *   emit     kp_emit       records commit (report.json: kp_report)
 *
 * `scan` stops after map (resolve runs `make` for imported objects and may
 * grow the config); `scan --resolve` runs resolve too.  Between stages a
 * signal (kproc_interrupted) stops the run; the staged dir is removed. */
#ifndef KP_PIPELINE_H
#define KP_PIPELINE_H

#include "kp_analysis.h"
#include "kp_configure.h"
#include "kp_disp.h"
#include "kp_driver.h"
#include "kp_map.h"
#include "kp_resolve.h"
#include "kp_rewrite.h"

typedef struct kpl_options {
	const char *driver;     /* DRIVER argument */
	const char *linux_dir;  /* --linux, or NULL */
	const char *out;        /* -o, or NULL (ports/<module>) */
	const char *rules;      /* rules.cocci manifest */
	const char *mappings;   /* mappings dir */
	int jobs;               /* -j */
	int force;              /* --force: replace an existing port dir */
	int resolve;            /* scan --resolve */
} kpl_options;

typedef struct kpl_timing {
	char *stage;
	double seconds;
} kpl_timing;

typedef struct kpl_port {
	kpl_options opt;
	kdrv_driver driver;     /* kbuild */
	kconf_config config;    /* config */
	kan_result analysis;    /* analyze: the driver's sources */
	km_table *map;
	kd_list disps;          /* map */
	kres_result resolved;   /* resolve, when it ran (have_resolved) */
	int have_resolved;
	krw_result rewrite;     /* rewrite */
	size_t nstubs;          /* stubs */
	char *out_abs;          /* OUT, normalised (port) */
	int ahead_pid;          /* the worker running rule groups ahead (krw_speculate), or 0 */
	int compat_pid;         /* the worker probing runtime/lx's adaptations ahead (kcompat_probe), or 0 */
	double t_start;
	kpl_timing *timings;    /* seconds per stage and rule group, for -v */
	size_t ntimings;
} kpl_port;

void kpl_init(kpl_port *p, const kpl_options *opt);
void kpl_free(kpl_port *p);

/* kbuild .. map (.. resolve with opt.resolve). */
int kpl_scan(kpl_port *p);
/* The whole pipeline into OUT. */
int kpl_port_run(kpl_port *p);

/* The config, driver analysis and dispositions in force: the resolve
 * stage's when it ran (and redid the config), else the earlier stages'. */
const kconf_config *kpl_config(const kpl_port *p);
const kan_result *kpl_analysis(const kpl_port *p);
const kd_list *kpl_dispositions(const kpl_port *p);

#endif
