/* kpiport.c: the command line.  `kpiport port` runs the whole pipeline into
 * a port dir; `kpiport scan` stops after the map stage (`--resolve`: after
 * the resolve stage) and prints the inventory with each name's
 * disposition; `kpiport build` builds a port dir; `kpiport cache` keeps the
 * cache bounded. */
#define _GNU_SOURCE
#include "kp_build.h"
#include "kp_cache.h"
#include "kp_pipeline.h"
#include "kp_proc.h"
#include "kp_report.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: kpiport port DRIVER [-o DIR] [--linux DIR] [-j N] [--force] [-v]\n"
	      "       kpiport scan DRIVER [--linux DIR] [-j N] [--resolve] [--json] [-v]\n"
	      "       kpiport build PORTDIR [--target linux|sim|redox-emu|redox] [-j N]\n"
	      "       kpiport cache [prune [--days N] [--max-size SIZE] [--dry-run]]\n"
	      "       kpiport version\n"
	      "\n"
	      "DRIVER: a .c path, a driver directory, a module name (8139too) or a Kconfig\n"
	      "symbol (CONFIG_8139TOO).  The Linux tree is --linux DIR, else $KPIPORT_LINUX,\n"
	      "else the default tree tools/setup.sh extracts (~/.cache/kpiport/linux-source-6.1).\n"
	      "\n"
	      "  -o DIR        port dir to create (default: ports/<module>); a git repository:\n"
	      "                review it with `git -C DIR log -p upstream..`\n"
	      "  --force       replace an existing port dir\n"
	      "  -j N          parallel jobs (default: number of CPUs)\n"
	      "  --rules F     rule manifest (default: the source tree's rules.cocci)\n"
	      "  --mappings D  mapping tables dir (default: the source tree's mappings/)\n"
	      "  --resolve     scan: also run the resolve stage (imports; may run make)\n"
	      "  --json        scan: print the inventory and dispositions as JSON\n"
	      "  cache prune   remove cache entries unused for --days N (default 30), then the\n"
	      "                least recently used until the cache fits --max-size (e.g. 4G)\n"
	      "  -v            progress on stderr\n", f);
}

/* -j N: a whole number from 1 to 1024, or an error naming the value. */
static int parse_jobs(const char *text, int *jobs)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < 1 || v > 1024) {
		fprintf(stderr, "kpiport: -j %s: want a number of parallel jobs from 1 to 1024\n", text);
		return -1;
	}
	*jobs = (int)v;
	return 0;
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

static void print_scan(const kpl_port *p)
{
	const kb_module *m = p->driver.module;
	const kconf_config *c = kpl_config(p);
	printf("%s: module %s in %s (CONFIG_%s), Linux %s\n", p->opt.driver, m->name, m->dir, m->symbol,
	       p->driver.tree.version);
	printf("sources:");
	for (size_t i = 0; i < c->sources.n; i++)
		printf(" %s", ku_basename(c->sources.v[i]));
	printf("\nkernel build dir: %s\n", c->builddir);
	printf("%-32s %-9s %-11s %s\n", "symbol", "kind", "disposition", "detail");
	const kd_list *dl = kpl_dispositions(p);
	for (size_t i = 0; i < dl->n; i++) {
		const kd_disp *d = &dl->v[i];
		if (d->disposition == KM_HEADER)
			continue;
		printf("%-32s %-9s %-11s %s\n", d->symbol, ki_kind_name(d->kind), km_kind_name(d->disposition),
		       d->target ? d->target : d->reason ? d->reason : "");
	}
	for (size_t i = 0; p->have_resolved && i < p->resolved.nimports; i++)
		printf("import %s: %s\n", p->resolved.imports[i].file, p->resolved.imports[i].reason);
}

/* -v: seconds per stage and rule group, as one JSON object. */
static void print_timings(const kpl_port *p)
{
	fputs("kpiport: seconds per stage: {", stderr);
	for (size_t i = 0; i < p->ntimings; i++)
		fprintf(stderr, "%s\"%s\":%.3g", i ? "," : "", p->timings[i].stage, p->timings[i].seconds);
	fputs("}\n", stderr);
}

/* A size like 4G, 500M, 1024K or a byte count; 0 on error. */
static unsigned long long parse_size(const char *text)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	unsigned long long mul = 1;
	if (*end == 'K' || *end == 'k')
		mul = 1ull << 10, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1ull << 20, end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1ull << 30, end++;
	if (errno || end == text || *end || v <= 0)
		return 0;
	return (unsigned long long)(v * (double)mul);
}

static int cache_command(int argc, char **argv)
{
	if (argc == 2)
		return kcache_report(stdout) == 0 ? 0 : 1;
	if (strcmp(argv[2], "prune") != 0) {
		usage(stderr);
		return 2;
	}
	double days = 30;
	unsigned long long max = 0;
	int dry = 0;
	for (int i = 3; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "--days") && i + 1 < argc) {
			days = strtod(argv[++i], &end);
			if (*end || end == argv[i] || days < 0) {
				fprintf(stderr, "kpiport cache prune: --days %s: want a number of days\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--max-size") && i + 1 < argc) {
			if (!(max = parse_size(argv[++i]))) {
				fprintf(stderr, "kpiport cache prune: --max-size %s: want a size like 4G or 500M\n",
					argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--dry-run")) {
			dry = 1;
		} else if (!strcmp(argv[i], "-v")) {
			ku_verbose = 1;
		} else {
			usage(stderr);
			return 2;
		}
	}
	return kcache_prune(days, max, dry, stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("kpiport %s\n", KPIPORT_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "cache"))
		return cache_command(argc, argv);
	if (!strcmp(cmd, "build")) {
		const char *target = "linux", *dir = NULL;
		int jobs = kproc_ncpus();
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--target") && i + 1 < argc)
				target = argv[++i];
			else if (ku_startswith(argv[i], "--target="))
				target = argv[i] + 9;
			else if (!strcmp(argv[i], "-j") && i + 1 < argc) {
				if (parse_jobs(argv[++i], &jobs) != 0)
					return 2;
			}
			else if (!strcmp(argv[i], "-v"))
				ku_verbose = 1;
			else if (argv[i][0] != '-' && !dir)
				dir = argv[i];
			else {
				usage(stderr);
				return 2;
			}
		}
		if (!dir) {
			usage(stderr);
			return 2;
		}
		kproc_interrupt_install();
		if (kbd_build(dir, target, jobs) != 0) {
			fprintf(stderr, "kpiport: %s\n", ku_lasterr());
			if (kproc_interrupted)
				kproc_interrupt_exit();
			return 1;
		}
		if (!strcmp(target, "redox") && !kbd_redox_linked(dir))
			printf("kpiport: compile-checked every object of %s for x86_64-unknown-redox in "
			       "%s/build-redox: no Redox toolchain here (KPI_REDOX_TOOLCHAIN or "
			       "x86_64-unknown-redox-gcc on PATH), so the daemon is linked by Redox's build "
			       "system: %s/redox/recipe.toml\n", dir, dir, dir);
		else
			printf("kpiport: built %s/build-%s (target %s)\n", dir, target, target);
		return 0;
	}
	if (strcmp(cmd, "port") && strcmp(cmd, "scan")) {
		fprintf(stderr, "kpiport: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	kpl_options opt = {
		.rules = env_or("KPIPORT_RULES", KPIPORT_SOURCE_DIR "/rules.cocci"),
		.mappings = env_or("KPIPORT_MAPPINGS", KPIPORT_SOURCE_DIR "/mappings"),
		.jobs = kproc_ncpus(),
	};
	int json = 0;
	static const struct option longopts[] = {
		{"linux", required_argument, 0, 'L'}, {"force", no_argument, 0, 'f'},
		{"rules", required_argument, 0, 'R'}, {"mappings", required_argument, 0, 'M'},
		{"json", no_argument, 0, 'J'},        {"help", no_argument, 0, 'h'},
		{"resolve", no_argument, 0, 'S'},
		{0, 0, 0, 0},
	};
	optind = 2;
	int c;
	while ((c = getopt_long(argc, argv, "o:j:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': opt.out = optarg; break;
		case 'j':
			if (parse_jobs(optarg, &opt.jobs) != 0)
				return 2;
			break;
		case 'v': ku_verbose = 1; break;
		case 'L': opt.linux_dir = optarg; break;
		case 'f': opt.force = 1; break;
		case 'R': opt.rules = optarg; break;
		case 'M': opt.mappings = optarg; break;
		case 'J': json = 1; break;
		case 'S': opt.resolve = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "kpiport %s: expected exactly one DRIVER argument\n", cmd);
		usage(stderr);
		return 2;
	}
	opt.driver = argv[optind];
	if (!strcmp(cmd, "port") && opt.resolve) {
		fprintf(stderr, "kpiport port: --resolve is for scan (a port always resolves)\n");
		return 2;
	}
	kproc_interrupt_install();
	kpl_port p;
	kpl_init(&p, &opt);
	int rc;
	if (!strcmp(cmd, "scan")) {
		rc = kpl_scan(&p);
		if (rc == 0 && json) {
			char *text = krep_scan_json(kpl_analysis(&p)->inventory, kpl_dispositions(&p),
						    p.have_resolved ? &p.resolved : NULL);
			printf("%s\n", text);
			free(text);
		} else if (rc == 0) {
			print_scan(&p);
		}
	} else {
		rc = kpl_port_run(&p); /* OUT defaults to ports/<module> */
		if (rc == 0) {
			size_t n = 0;
			for (size_t k = 0; k < p.rewrite.ngroups; k++)
				n += p.rewrite.groups[k].commit != NULL;
			printf("kpiport: ported %s (Linux %s) into %s: upstream + %zu rule commits, "
			       "%zu rename sites spatch missed; %.1f s\n", p.driver.module->name,
			       p.driver.tree.version, p.opt.out, n, p.rewrite.nmisses, ku_now() - p.t_start);
			printf("review: git -C %s log -p upstream..   report: %s/report.md\n", p.opt.out,
			       p.opt.out);
		}
	}
	if (rc == 0 && ku_verbose)
		print_timings(&p);
	if (rc != 0)
		fprintf(stderr, "kpiport: %s\n", ku_lasterr());
	kpl_free(&p);
	if (kproc_interrupted)
		kproc_interrupt_exit(); /* nothing staged is left: the shell sees the signal */
	return rc == 0 ? 0 : 1;
}
