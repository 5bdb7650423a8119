/* lx_args.c: the command-line classification declared in lx_args.h.
 * Pure and self-contained on purpose (see there): it is fuzzed on its own
 * (tests/fuzz/fuzz_lx_args.c) and also compiled into lx.  Parameter
 * names compare with '-' and '_' alike, as the kernel's parameq does. */
#include "lx_args.h"

static int lx_arg_len(const char *s)
{
	int n = 0;
	while (s[n] && n <= LX_ARG_MAX_NAME)
		n++;
	return n;
}

static int lx_arg_ch(char c)
{
	return c == '-' ? '_' : c;
}

int lx_arg_name_eq(const char *name, int len, const char *s)
{
	int i;
	for (i = 0; i < len; i++)
		if (!s[i] || lx_arg_ch(name[i]) != lx_arg_ch(s[i]))
			return 0;
	return s[len] == 0;
}

int lx_arg_distance(const char *a, int alen, const char *b, int limit)
{
	/* Three rows of the optimal-string-alignment table: the row before
	 * the previous one is what a swap of neighbours looks back to. */
	int rows[3][LX_ARG_MAX_NAME + 1];
	int *pp = rows[0], *prev = rows[1], *cur = rows[2];
	int blen = lx_arg_len(b), i, j;
	if (alen > LX_ARG_MAX_NAME || blen > LX_ARG_MAX_NAME)
		return limit + 1;
	for (j = 0; j <= blen; j++)
		prev[j] = j;
	for (i = 1; i <= alen; i++) {
		int *t;
		cur[0] = i;
		for (j = 1; j <= blen; j++) {
			int cost = lx_arg_ch(a[i - 1]) != lx_arg_ch(b[j - 1]);
			int d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && lx_arg_ch(a[i - 1]) == lx_arg_ch(b[j - 2]) &&
			    lx_arg_ch(a[i - 2]) == lx_arg_ch(b[j - 1]) && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
		}
		t = pp, pp = prev, prev = cur, cur = t;
	}
	return prev[blen] > limit ? limit + 1 : prev[blen];
}

int lx_arg_suggest_limit(int len)
{
	return len >= 8 ? 2 : len >= 3 ? 1 : 0;
}

static int lx_arg_name_len(const char *arg)
{
	int n = 0;
	while (arg[n] && arg[n] != '=')
		n++;
	return n;
}

void lx_arg_classify(const char *arg, const struct lx_opt *opts, int nopts, const struct lx_arg_params *params,
		     struct lx_arg *out)
{
	int len = lx_arg_name_len(arg), limit = lx_arg_suggest_limit(len), best = limit + 1, i;
	out->name_len = len;
	out->value = arg[len] == '=' ? arg + len + 1 : 0;
	out->index = out->suggest = -1;
	if (arg[0] == '-') {
		for (i = 0; i < nopts; i++) {
			int n = 0;
			while (opts[i].name[n] && n < len && opts[i].name[n] == arg[n])
				n++;
			if (n == len && !opts[i].name[n])
				break;
		}
		if (i < nopts) {
			out->index = i;
			if (opts[i].value && !out->value)
				out->kind = LX_ARG_OPT_NO_VALUE;
			else if (!opts[i].value && out->value)
				out->kind = LX_ARG_OPT_EXTRA_VALUE;
			else
				out->kind = LX_ARG_OPTION;
			return;
		}
		out->kind = LX_ARG_BAD_OPTION;
		for (i = 0; i < nopts; i++) {
			int d = lx_arg_distance(arg, len, opts[i].name, limit);
			if (d < best && opts[i].help)
				best = d, out->suggest = i;
		}
		return;
	}
	for (i = 0; params && i < params->count; i++)
		if (lx_arg_name_eq(arg, len, params->name(params->ctx, i)))
			break;
	if (params && i < params->count) {
		out->index = i;
		out->kind = out->value || params->noarg(params->ctx, i) ? LX_ARG_PARAM : LX_ARG_PARAM_NO_VALUE;
		return;
	}
	out->kind = LX_ARG_UNKNOWN;
	for (i = 0; params && i < params->count; i++) {
		int d = lx_arg_distance(arg, len, params->name(params->ctx, i), limit);
		if (d < best)
			best = d, out->suggest = i;
	}
}
