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
 * first 128 bits of its key; dot files are work in progress); without it,
 * a plain exec.  The real compiler is the first of this program's name on
 * PATH that is not this program (KPIPORT_CCMEMO_REAL: that one instead, for
 * the tests' fake compiler).
 * Includes libc and OpenSSL only; nothing of kpiport's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CCM_FORMAT "ccmemo-1"

typedef struct {
	char *s;
	size_t len, cap;
} ccm_buf;

static void ccm_die(const char *what)
{
	fprintf(stderr, "kpiport-ccmemo: %s: %s\n", what, strerror(errno));
	exit(127);
}

static void ccm_add(ccm_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if (!(b->s = realloc(b->s, b->cap)))
			ccm_die("out of memory");
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = 0;
}

static int ccm_read_fd(int fd, ccm_buf *b)
{
	char tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		ccm_add(b, tmp, (size_t)n);
	}
}

static int ccm_read_path(const char *path, ccm_buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = ccm_read_fd(fd, b);
	close(fd);
	return rc;
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

/* The real compiler: $KPIPORT_CCMEMO_REAL, else the first `name` on PATH
 * that is not this program, nor another build's copy of it (two memo dirs
 * on PATH must not call each other in a circle). */
static char *ccm_real(const char *name)
{
	const char *env = getenv("KPIPORT_CCMEMO_REAL");
	if (env && *env)
		return strdup(env);
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
		    strcmp(strrchr(cand, '/') + 1, "kpiport-ccmemo") != 0)
			return strdup(full);
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

static void ccm_key(const char *real, int argc, char **argv, const ccm_buf *in, char hex[65])
{
	static const char *const envs[] = {
		"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH", "LIBRARY_PATH",
		"COMPILER_PATH", "GCC_EXEC_PREFIX", "SOURCE_DATE_EPOCH", "CCC_OVERRIDE_OPTIONS",
		"CLANG_NO_DEFAULT_CONFIG", NULL};
	struct stat st;
	if (stat(real, &st) != 0)
		ccm_die(real);
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	EVP_DigestInit_ex(h, EVP_sha256(), NULL);
	char head[PATH_MAX + 160];
	int n = snprintf(head, sizeof head, "%s\n%s\n%lld %lld.%09ld %llu %llu\n", CCM_FORMAT, real,
			 (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			 (unsigned long long)st.st_ino, (unsigned long long)st.st_dev);
	EVP_DigestUpdate(h, head, (size_t)n);
	for (int i = 0; i < argc; i++) {
		/* Where -o writes is no part of the answer; whether it is a file is. */
		const char *a = argv[i];
		if (i > 0 && !strcmp(argv[i - 1], "-o") && strcmp(a, "-") && strcmp(a, "/dev/null"))
			a = "<file>";
		EVP_DigestUpdate(h, a, strlen(a) + 1);
	}
	for (const char *const *e = envs; *e; e++) {
		const char *v = getenv(*e);
		EVP_DigestUpdate(h, *e, strlen(*e));
		EVP_DigestUpdate(h, v ? "=" : "!", 1);
		if (v)
			EVP_DigestUpdate(h, v, strlen(v) + 1);
	}
	EVP_DigestUpdate(h, "stdin\n", 6);
	if (in->len)
		EVP_DigestUpdate(h, in->s, in->len);
	unsigned char md[32];
	EVP_DigestFinal_ex(h, md, NULL);
	EVP_MD_CTX_free(h);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
}

/* A record: "<status> <outlen> <errlen> <filelen|-1>\n" then the bytes. */
static int ccm_replay(const char *rec, const char *out)
{
	ccm_buf b = {0};
	if (ccm_read_path(rec, &b) != 0 || !b.s)
		return -1;
	int status, consumed = 0;
	long long no, ne, nf;
	if (sscanf(b.s, "%d %lld %lld %lld\n%n", &status, &no, &ne, &nf, &consumed) != 4 || !consumed ||
	    no < 0 || ne < 0 || nf < -1 || (size_t)consumed + (size_t)no + (size_t)ne + (size_t)(nf > 0 ? nf : 0) != b.len) {
		free(b.s);
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
	free(b.s);
	return status;
}

/* Run the real compiler with stdin from `in` (when it reads stdin), its
 * output captured, and store the record.  Returns its status. */
static int ccm_ask(const char *real, char **argv, const ccm_call *c, const ccm_buf *in,
		   const char *store, const char *hex, const char *rec)
{
	char tin[PATH_MAX], tout[PATH_MAX], terr[PATH_MAX];
	snprintf(tin, sizeof tin, "%s/.in.%d", store, (int)getpid());
	snprintf(tout, sizeof tout, "%s/.out.%d", store, (int)getpid());
	snprintf(terr, sizeof terr, "%s/.err.%d", store, (int)getpid());
	int fin = -1;
	if (c->reads_stdin) {
		fin = open(tin, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fin < 0 || ccm_write_fd(fin, in->s ? in->s : "", in->len) != 0 || lseek(fin, 0, SEEK_SET) != 0)
			ccm_die(tin);
		unlink(tin);
	}
	int fout = open(tout, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int ferr = open(terr, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fout < 0 || ferr < 0)
		ccm_die(store);
	unlink(tout), unlink(terr);
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
	ccm_buf o = {0}, e = {0}, f = {0};
	int have_file = 0;
	if (lseek(fout, 0, SEEK_SET) != 0 || ccm_read_fd(fout, &o) != 0 || lseek(ferr, 0, SEEK_SET) != 0 ||
	    ccm_read_fd(ferr, &e) != 0)
		ccm_die("cannot read the compiler's output");
	if (c->out && strcmp(c->out, "-") && strcmp(c->out, "/dev/null"))
		have_file = ccm_read_path(c->out, &f) == 0;
	/* Pass the answer on as the compiler gave it. */
	if (ccm_write_fd(1, o.s ? o.s : "", o.len) != 0 || ccm_write_fd(2, e.s ? e.s : "", e.len) != 0)
		ccm_die("cannot write the answer");
	/* A signal is no answer to remember. */
	if (WIFEXITED(ws)) {
		char tmp[PATH_MAX], head[128];
		snprintf(tmp, sizeof tmp, "%s/.%s.%d.tmp", store, hex, (int)getpid());
		int hn = snprintf(head, sizeof head, "%d %zu %zu %lld\n", status, o.len, e.len,
				  have_file ? (long long)f.len : -1LL);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd >= 0) {
			int ok = ccm_write_fd(fd, head, (size_t)hn) == 0 &&
				 ccm_write_fd(fd, o.s ? o.s : "", o.len) == 0 &&
				 ccm_write_fd(fd, e.s ? e.s : "", e.len) == 0 &&
				 ccm_write_fd(fd, f.s ? f.s : "", have_file ? f.len : 0) == 0;
			close(fd);
			/* Best effort: a record that cannot be kept only costs the next run time. */
			if (!ok || rename(tmp, rec) != 0)
				unlink(tmp);
		}
	}
	free(o.s), free(e.s), free(f.s);
	if (fin >= 0)
		close(fin);
	close(fout), close(ferr);
	return status;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	char *real = ccm_real(base ? base + 1 : argv[0]);
	if (!real) {
		errno = ENOENT;
		ccm_die("no real compiler (KPIPORT_CCMEMO_REAL)");
	}
	/* The real compiler called by its path: gcc finds cc1 relative to the
	 * program it was called as, which must not be this one. */
	argv[0] = real;
	const char *store = getenv("KPIPORT_CCMEMO_DIR");
	ccm_call c = ccm_classify(argc, argv);
	ccm_buf in = {0};
	if (c.probe && c.reads_stdin) {
		if (ccm_read_fd(0, &in) != 0)
			ccm_die("cannot read stdin");
		/* Source that includes a header depends on files: no probe. */
		if (in.s && (strstr(in.s, "include") || strstr(in.s, "#import") || memchr(in.s, 0, in.len)))
			c.probe = 0;
	}
	if (!c.probe || !store || !*store) {
		if (c.reads_stdin && in.s) { /* stdin was read: hand it over through a pipe */
			int p[2];
			if (pipe(p) != 0)
				ccm_die("pipe");
			pid_t pid = fork();
			if (pid < 0)
				ccm_die("fork");
			if (pid == 0) {
				close(p[0]);
				int rc = ccm_write_fd(p[1], in.s, in.len);
				_exit(rc ? 1 : 0);
			}
			close(p[1]);
			if (dup2(p[0], 0) < 0)
				ccm_die("dup2");
			close(p[0]);
		}
		execv(real, argv);
		ccm_die(real);
	}
	char hex[65];
	ccm_key(real, argc, argv, &in, hex);
	char rec[PATH_MAX];
	snprintf(rec, sizeof rec, "%s/%.32s", store, hex);
	int status = ccm_replay(rec, c.out);
	if (status >= 0) {
		utimensat(AT_FDCWD, rec, NULL, 0); /* its last use, for `kpiport cache prune` */
		return status;
	}
	if (mkdir(store, 0777) != 0 && errno != EEXIST)
		ccm_die(store);
	return ccm_ask(real, argv, &c, &in, store, hex, rec);
}
