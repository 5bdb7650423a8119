/* ccmemo.c: kpiport-ccmemo, kbuild's compiler probes answered from a memo.
 *
 * Every make run in a kernel build dir asks the compiler the same questions
 * again: the top Makefile's and arch/x86/Makefile's cc-option tests,
 * Kconfig's $(cc-option), scripts/cc-version.sh ...  Each is a clang
 * process (~40 ms) compiling /dev/null or a few lines on stdin, and a port's
 * build dir runs about 200 of them (allnoconfig, prepare, the dry runs):
 * half of the config stage; the host compiler gets a few more (objtool's
 * tools/ Makefiles).  kpiport (kp_ccmemo.c) runs make with a directory
 * first on PATH in which `clang-19` and `gcc` are this program.
 *
 * A probe - a compile (-c, -S, -E) or a query (--version, -print-*) whose
 * only inputs are /dev/null or stdin, with no option that reads or writes
 * another file - is answered from the store when it was asked before:
 * exit status, stdout, stderr and the -o file, as the real compiler gave
 * them.  Anything else runs the real compiler (exec, nothing recorded).
 * The key is what the answer can depend on: the real compiler (path, size,
 * mtime, inode), every argument but -o's value, stdin, and the environment
 * variables clang reads.  Not the working directory: with no file input the
 * include paths are never read (stdin that includes a header is no probe).
 *
 * Environment: KPIPORT_CCMEMO_DIR, the store (a file a probe, named by the
 * first 128 bits of its key; <name>.tmp.<pid> is one being written);
 * without it, a plain exec.  The real compiler is the first of this
 * program's name on PATH that is not this program (KPIPORT_CCMEMO_REAL:
 * that one instead, for the tests' fake compiler).
 * Uses kp_util (buffers, files) and kp_hash (SHA-256), which need only libc
 * and OpenSSL, and nothing else of kpiport's. */
#define _GNU_SOURCE
#include "kp_hash.h"
#include "kp_util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CCM_FORMAT "ccmemo-2"

static void ccm_die(const char *what)
{
	fprintf(stderr, "kpiport-ccmemo: %s: %s\n", what, strerror(errno));
	exit(127);
}

static int ccm_read_fd(int fd, ku_buf *b)
{
	char tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		ku_buf_add(b, tmp, (size_t)n);
	}
}

static int ccm_write_fd(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w, n -= (size_t)w;
	}
	return 0;
}

/* An anonymous file holding `n` bytes of `p`, read from its start: the
 * compiler's stdin, or (empty) where its stdout and stderr are caught. */
static int ccm_memfd(const char *p, size_t n)
{
	int fd = memfd_create("kpiport-ccmemo", MFD_CLOEXEC);
	if (fd < 0 || ccm_write_fd(fd, p, n) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		ccm_die("memfd");
	return fd;
}

/* The real compiler: $KPIPORT_CCMEMO_REAL, else the first `name` on PATH
 * that is not this program, nor another build's copy of it (two memo dirs
 * on PATH must not call each other in a circle). */
static char *ccm_real(const char *name)
{
	const char *env = getenv("KPIPORT_CCMEMO_REAL");
	if (env && *env)
		return ku_strdup(env);
	char self[PATH_MAX], cand[PATH_MAX];
	if (!realpath("/proc/self/exe", self))
		return NULL;
	const char *path = getenv("PATH");
	for (const char *p = path ? path : ""; *p;) {
		const char *c = strchr(p, ':');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		char full[PATH_MAX];
		if (n && snprintf(full, sizeof full, "%.*s/%s", (int)n, p, name) < (int)sizeof full &&
		    access(full, X_OK) == 0 && realpath(full, cand) && strcmp(cand, self) != 0 &&
		    strcmp(ku_basename(cand), "kpiport-ccmemo") != 0)
			return ku_strdup(full);
		p += n + (c != NULL);
	}
	return NULL;
}

/* Options that read or write a file other than the input and -o, or make
 * the answer depend on one: never a probe. */
static int ccm_touches_files(const char *a)
{
	static const char *const prefixes[] = {
		"-M", "-Wp,", "-Wl,", "-include", "-imacros", "-save-temps", "-ftime-trace",
		"-fprofile", "-fplugin", "-fpass-plugin", "-fsanitize-ignorelist",
		"-fsanitize-blacklist", "-fsanitize-coverage-allowlist",
		"-fsanitize-coverage-ignorelist", "-fmodule", "-fcrash-diagnostics",
		"-serialize-diagnostics", "-gsplit-dwarf", "-B", "--sysroot", "-specs",
		"-Xlinker", "-fembed-offload", "-fprebuilt", "-ivfsoverlay", NULL};
	for (const char *const *p = prefixes; *p; p++)
		if (strncmp(a, *p, strlen(*p)) == 0)
			return 1;
	return a[0] == '@'; /* a response file */
}

/* Options whose value is the next argument (and is no input file). */
static int ccm_takes_value(const char *a)
{
	static const char *const opts[] = {"-x", "-target", "-mllvm", "-Xclang", "-Xassembler",
					   "-I", "-isystem", "-iquote", "-idirafter", "-D", "-U",
					   "-arch", NULL};
	for (const char *const *p = opts; *p; p++)
		if (strcmp(a, *p) == 0)
			return 1;
	return 0;
}

typedef struct {
	int probe;       /* answerable from the memo */
	int reads_stdin; /* "-" is an input */
	const char *out; /* -o's value, or NULL */
} ccm_call;

static ccm_call ccm_classify(int argc, char **argv)
{
	ccm_call c = {0};
	int action = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-o") == 0) {
			if (i + 1 >= argc)
				return c;
			c.out = argv[++i];
			continue;
		}
		if (strncmp(a, "-o", 2) == 0)
			return c; /* -oFILE: not worth parsing */
		if (ccm_touches_files(a))
			return c;
		if (ccm_takes_value(a)) {
			if (i + 1 >= argc || ccm_touches_files(argv[i + 1]))
				return c;
			i++;
			continue;
		}
		if (!strcmp(a, "-c") || !strcmp(a, "-S") || !strcmp(a, "-E") || !strcmp(a, "--version") ||
		    !strcmp(a, "-dumpversion") || !strncmp(a, "-print-", 7) || !strncmp(a, "--print-", 8))
			action = 1;
		else if (!strcmp(a, "-"))
			c.reads_stdin = 1;
		else if (a[0] != '-' && strcmp(a, "/dev/null") != 0)
			return c; /* an input file */
	}
	c.probe = action;
	return c;
}

static void ccm_key(const char *real, int argc, char **argv, const ku_buf *in, char hex[65])
{
	static const char *const envs[] = {
		"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH", "LIBRARY_PATH",
		"COMPILER_PATH", "GCC_EXEC_PREFIX", "SOURCE_DATE_EPOCH", "CCC_OVERRIDE_OPTIONS",
		"CLANG_NO_DEFAULT_CONFIG", NULL};
	struct stat st;
	if (stat(real, &st) != 0)
		ccm_die(real);
	kh_ctx *h = kh_new();
	char *id = ku_printf("%s\n%s\n%lld %lld.%09ld %llu %llu", CCM_FORMAT, real, (long long)st.st_size,
			     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			     (unsigned long long)st.st_ino, (unsigned long long)st.st_dev);
	kh_add_str(h, id);
	free(id);
	for (int i = 0; i < argc; i++) {
		/* Where -o writes is no part of the answer; whether it is a file is. */
		const char *a = argv[i];
		if (i > 0 && !strcmp(argv[i - 1], "-o") && strcmp(a, "-") && strcmp(a, "/dev/null"))
			a = "<file>";
		kh_add_str(h, a);
	}
	for (const char *const *e = envs; *e; e++) {
		const char *v = getenv(*e);
		kh_add_str(h, *e);
		kh_add_str(h, v ? v : "<unset>\n");
	}
	kh_add_str(h, "stdin");
	kh_add(h, in->s ? in->s : "", in->len);
	kh_final(h, hex);
}

/* A record: "<status> <outlen> <errlen> <filelen|-1>\n" then the bytes. */
static int ccm_replay(const char *rec, const char *out)
{
	ku_buf b = {0};
	if (ku_read_file(rec, &b) != 0 || !b.s) {
		ku_buf_free(&b);
		return -1;
	}
	int status, consumed = 0;
	long long no, ne, nf;
	if (sscanf(b.s, "%d %lld %lld %lld\n%n", &status, &no, &ne, &nf, &consumed) != 4 || !consumed ||
	    no < 0 || ne < 0 || nf < -1 || (size_t)consumed + (size_t)no + (size_t)ne + (size_t)(nf > 0 ? nf : 0) != b.len) {
		ku_buf_free(&b);
		return -1; /* damaged: ask the compiler again */
	}
	const char *p = b.s + consumed;
	if (nf >= 0 && out && strcmp(out, "-") && strcmp(out, "/dev/null")) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0 || ccm_write_fd(fd, p + no + ne, (size_t)nf) != 0)
			ccm_die(out);
		close(fd);
	}
	if (ccm_write_fd(1, p, (size_t)no) != 0 || ccm_write_fd(2, p + no, (size_t)ne) != 0)
		ccm_die("cannot write the answer");
	ku_buf_free(&b);
	return status;
}

/* Run the real compiler with stdin from `in` (when it reads stdin), its
 * output caught, pass the answer on and store its record.  Its status. */
static int ccm_ask(const char *real, char **argv, const ccm_call *c, const ku_buf *in, const char *rec)
{
	int fin = c->reads_stdin ? ccm_memfd(in->s ? in->s : "", in->len) : -1;
	int fout = ccm_memfd("", 0), ferr = ccm_memfd("", 0);
	pid_t pid = fork();
	if (pid < 0)
		ccm_die("fork");
	if (pid == 0) {
		if ((fin >= 0 && dup2(fin, 0) < 0) || dup2(fout, 1) < 0 || dup2(ferr, 2) < 0)
			_exit(127);
		execv(real, argv);
		_exit(127);
	}
	int ws;
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			ccm_die("waitpid");
	int status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	ku_buf o = {0}, e = {0}, f = {0};
	if (lseek(fout, 0, SEEK_SET) != 0 || ccm_read_fd(fout, &o) != 0 || lseek(ferr, 0, SEEK_SET) != 0 ||
	    ccm_read_fd(ferr, &e) != 0)
		ccm_die("cannot read the compiler's output");
	int have_file = c->out && strcmp(c->out, "-") && strcmp(c->out, "/dev/null") &&
			ku_read_file(c->out, &f) == 0;
	/* Pass the answer on as the compiler gave it. */
	if (ccm_write_fd(1, ku_buf_str(&o), o.len) != 0 || ccm_write_fd(2, ku_buf_str(&e), e.len) != 0)
		ccm_die("cannot write the answer");
	/* A signal is no answer to remember. */
	if (WIFEXITED(ws)) {
		ku_buf r = {0};
		ku_buf_printf(&r, "%d %zu %zu %lld\n", status, o.len, e.len, have_file ? (long long)f.len : -1LL);
		ku_buf_add(&r, ku_buf_str(&o), o.len);
		ku_buf_add(&r, ku_buf_str(&e), e.len);
		ku_buf_add(&r, ku_buf_str(&f), have_file ? f.len : 0);
		/* Best effort: a record that cannot be kept only costs the next run time. */
		ku_write_file(rec, ku_buf_str(&r), r.len);
		ku_buf_free(&r);
	}
	ku_buf_free(&o), ku_buf_free(&e), ku_buf_free(&f);
	if (fin >= 0)
		close(fin);
	close(fout), close(ferr);
	return status;
}

int main(int argc, char **argv)
{
	char *real = ccm_real(ku_basename(argv[0]));
	if (!real) {
		errno = ENOENT;
		ccm_die("no real compiler (KPIPORT_CCMEMO_REAL)");
	}
	/* The real compiler called by its path: gcc finds cc1 relative to the
	 * program it was called as, which must not be this one. */
	argv[0] = real;
	const char *store = getenv("KPIPORT_CCMEMO_DIR");
	ccm_call c = ccm_classify(argc, argv);
	ku_buf in = {0};
	if (c.probe && c.reads_stdin) {
		if (ccm_read_fd(0, &in) != 0)
			ccm_die("cannot read stdin");
		/* Source that includes a header depends on files: no probe. */
		if (in.s && (strstr(in.s, "include") || strstr(in.s, "#import") || memchr(in.s, 0, in.len)))
			c.probe = 0;
	}
	if (!c.probe || !store || !*store) {
		/* stdin already read: the compiler gets it from a copy */
		if (c.reads_stdin && in.s && dup2(ccm_memfd(in.s, in.len), 0) < 0)
			ccm_die("dup2");
		execv(real, argv);
		ccm_die(real);
	}
	char hex[65];
	ccm_key(real, argc, argv, &in, hex);
	char *rec = ku_printf("%s/%.32s", store, hex);
	int status = ccm_replay(rec, c.out);
	if (status >= 0) {
		utimensat(AT_FDCWD, rec, NULL, 0); /* its last use, for `kpiport cache prune` */
		return status;
	}
	if (ku_mkdir_p(store) != 0)
		ccm_die(store);
	return ccm_ask(real, argv, &c, &in, rec);
}
