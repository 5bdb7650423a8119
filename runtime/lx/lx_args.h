/* lx_args.h: how the daemon's command line is read, as pure functions -
 * after the host backend took its own options (kpi_host_init), every
 * argument left is one of lx's options (--name, --name=VALUE), a module
 * parameter (name=value, or name alone for a bool, as on the kernel
 * command line), or something unknown, for which the nearest option or
 * parameter by edit distance is proposed.  lx_param.c applies the result.
 *
 * Includes nothing and uses no library call, so the same file compiles
 * inside lx (kernel flags, kernel headers force-included) and inside the
 * libFuzzer harness tests/fuzz/fuzz_lx_args.c (libc world).  Included by
 * lx_param.c and that harness. */
#ifndef LX_ARGS_H
#define LX_ARGS_H

/* One of lx's own options. */
struct lx_opt {
	const char *name;  /* "--list-ids" */
	const char *value; /* NULL: a flag; else what =VALUE holds, for messages ("SECONDS") */
	const char *help;  /* NULL: an alias (-h), not listed */
	int id;		   /* what the option does (lx_param.c's LX_OPT_*) */
};

/* The module parameters, read through callbacks so lx can walk its
 * __param section in place. */
struct lx_arg_params {
	int count;
	const char *(*name)(const void *ctx, int i);
	int (*noarg)(const void *ctx, int i); /* takes no value (bool): `name` alone is allowed */
	const void *ctx;
};

enum lx_arg_kind {
	LX_ARG_OPTION,		/* an lx option: index, value (NULL for a flag) */
	LX_ARG_PARAM,		/* a module parameter: index, value (NULL: `name` alone) */
	LX_ARG_UNKNOWN,		/* names no parameter: suggest = nearest parameter or -1 */
	LX_ARG_BAD_OPTION,	/* starts with '-', names no option: suggest = nearest option or -1 */
	LX_ARG_OPT_NO_VALUE,	/* an option that needs =VALUE, given without */
	LX_ARG_OPT_EXTRA_VALUE, /* a flag given =VALUE */
	LX_ARG_PARAM_NO_VALUE,	/* `name` alone for a parameter that is not a bool */
};

struct lx_arg {
	enum lx_arg_kind kind;
	int index;	   /* option or parameter index; -1 for UNKNOWN and BAD_OPTION */
	int suggest;	   /* UNKNOWN, BAD_OPTION: index of a close name, or -1 */
	int name_len;	   /* the name is arg[0..name_len): up to the first '=' */
	const char *value; /* after the first '=', or NULL when there is none */
};

/* Names longer than this are never "close" to anything (and bound the
 * work of the distance). */
#define LX_ARG_MAX_NAME 64

void lx_arg_classify(const char *arg, const struct lx_opt *opts, int nopts, const struct lx_arg_params *params,
		     struct lx_arg *out);

/* name[0..len) equals s, '-' and '_' alike (the kernel's parameq). */
int lx_arg_name_eq(const char *name, int len, const char *s);

/* Edit distance between a[0..alen) and b, counting an insertion, a
 * deletion, a substitution or a swap of two neighbours as 1 ('-' and '_'
 * alike); limit + 1 when it is larger than limit or a name is longer than
 * LX_ARG_MAX_NAME. */
int lx_arg_distance(const char *a, int alen, const char *b, int limit);

/* How far a name of length len may be from a real one to be proposed:
 * "heartbaet" -> "heartbeat" (1 swap), but no guesses for short names. */
int lx_arg_suggest_limit(int len);

#endif
