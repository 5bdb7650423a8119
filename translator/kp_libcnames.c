/* kp_libcnames.c: a compact table of common C library and POSIX function
 * and variable names (glibc, musl and relibc all define these), sorted in
 * C locale order for bsearch. */
#include "kp_libcnames.h"

#include <stdlib.h>
#include <string.h>

static const char *const kl_names[] = {
	"_exit", "abort", "abs", "accept", "access", "acos", "alarm", "aligned_alloc", "asctime", "asin",
	"assert", "atan", "atan2", "atexit", "atof", "atoi", "atol", "atoll", "basename", "bind", "bsearch",
	"btowc", "calloc", "ceil", "cfgetispeed", "cfsetispeed", "chdir", "chmod", "chown", "chroot",
	"clearerr", "clock", "clock_gettime", "clock_nanosleep", "close", "closedir", "confstr", "connect",
	"cos", "cosh", "creat", "crypt", "ctime", "daemon", "difftime", "dirname", "div", "dlclose",
	"dlerror", "dlopen", "dlsym", "dprintf", "drand48", "dup", "dup2", "dup3", "endpwent", "environ",
	"erand48", "err", "errno", "error", "errx", "execl", "execle", "execlp", "execv", "execve",
	"execvp", "exit", "exp", "fabs", "faccessat", "fchdir", "fchmod", "fchown", "fclose", "fcntl",
	"fdatasync", "fdopen", "feof", "ferror", "fflush", "ffs", "ffsl", "ffsll", "fgetc", "fgetpos",
	"fgets", "fileno", "flock", "floor", "fmod", "fnmatch", "fopen", "fork", "fpathconf", "fprintf",
	"fputc", "fputs", "fread", "free", "freeaddrinfo", "freopen", "frexp", "fscanf", "fseek", "fseeko",
	"fsetpos", "fstat", "fstatat", "fsync", "ftell", "ftello", "ftruncate", "ftw", "futimens",
	"fwrite", "gai_strerror", "getaddrinfo", "getc", "getchar", "getcwd", "getdelim", "getegid",
	"getenv", "geteuid", "getgid", "getgrgid", "getgrnam", "gethostbyname", "gethostname", "getline",
	"getlogin", "getnameinfo", "getopt", "getopt_long", "getpagesize", "getpeername", "getpgid",
	"getpgrp", "getpid", "getppid", "getpriority", "getpwnam", "getpwuid", "getrandom", "getrlimit",
	"getrusage", "gets", "getsid", "getsockname", "getsockopt", "gettid", "gettimeofday", "getuid",
	"glob", "gmtime", "hcreate", "hdestroy", "hsearch", "htonl", "htons", "iconv", "index", "inet_addr",
	"inet_aton", "inet_ntoa", "inet_ntop", "inet_pton", "initstate", "ioctl", "isalnum", "isalpha",
	"isascii", "isatty", "isblank", "iscntrl", "isdigit", "isgraph", "islower", "isprint", "ispunct",
	"isspace", "isupper", "isxdigit", "jrand48", "kill", "killpg", "labs", "lchown", "ldexp", "ldiv",
	"link", "linkat", "listen", "llabs", "lldiv", "localeconv", "localtime", "log", "log10", "longjmp",
	"lrand48", "lseek", "lstat", "malloc", "mblen", "mbstowcs", "mbtowc", "memccpy", "memchr",
	"memcmp", "memcpy", "memmem", "memmove", "memrchr", "memset", "mkdir", "mkdirat", "mkdtemp",
	"mkfifo", "mknod", "mkstemp", "mktemp", "mktime", "mlock", "mlockall", "mmap", "modf", "mprotect",
	"mq_open", "mrand48", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munmap",
	"nanosleep", "nice", "nrand48", "ntohl", "ntohs", "open", "openat", "opendir", "optarg", "opterr",
	"optind", "optopt", "pathconf", "pause", "pclose", "perror", "pipe", "pipe2", "poll", "popen",
	"posix_memalign", "pow", "pread", "printf", "pselect", "psignal", "pthread_create", "pthread_join",
	"pthread_mutex_lock", "pthread_mutex_unlock", "pthread_self", "ptsname", "putc", "putchar",
	"putenv", "puts", "pwrite", "qsort", "raise", "rand", "rand_r", "random", "read", "readdir",
	"readlink", "readv", "realloc", "realpath", "recv", "recvfrom", "recvmsg", "regcomp", "regexec",
	"regfree", "remove", "rename", "rewind", "rewinddir", "rindex", "rmdir", "sbrk", "scandir",
	"scanf", "sched_yield", "seed48", "seekdir", "select", "sem_close", "sem_open", "sem_post",
	"sem_wait", "semctl", "semget", "semop", "send", "sendmsg", "sendto", "setbuf", "setenv", "setgid",
	"setjmp", "setlocale", "setpgid", "setpriority", "setregid", "setreuid", "setrlimit", "setsid",
	"setsockopt", "setstate", "setuid", "setvbuf", "shm_open", "shm_unlink", "shmat", "shmctl",
	"shmdt", "shmget", "shutdown", "sigaction", "sigaddset", "sigdelset", "sigemptyset", "sigfillset",
	"siginterrupt", "sigismember", "siglongjmp", "signal", "sigpending", "sigprocmask", "sigsetjmp",
	"sigsuspend", "sigwait", "sin", "sinh", "sleep", "snprintf", "socket", "socketpair", "sort",
	"sprintf", "sqrt", "srand", "srand48", "srandom", "sscanf", "stat", "statvfs", "stderr", "stdin",
	"stdout", "stpcpy", "stpncpy", "strcasecmp", "strcat", "strchr", "strcmp", "strcoll", "strcpy",
	"strcspn", "strdup", "strerror", "strerror_r", "strftime", "strlcat", "strlcpy", "strlen",
	"strncasecmp", "strncat", "strncmp", "strncpy", "strndup", "strnlen", "strpbrk", "strptime",
	"strrchr", "strsep", "strsignal", "strspn", "strstr", "strtod", "strtof", "strtok", "strtok_r",
	"strtol", "strtold", "strtoll", "strtoul", "strtoull", "strxfrm", "swab", "symlink", "sync",
	"syscall", "sysconf", "syslog", "system", "tan", "tanh", "tcdrain", "tcflush", "tcgetattr",
	"tcsetattr", "telldir", "tempnam", "time", "timegm", "timer_create", "times", "timezone", "tmpfile",
	"tmpnam", "toascii", "tolower", "toupper", "truncate", "ttyname", "tzname", "tzset", "umask",
	"uname", "ungetc", "unlink", "unlinkat", "unsetenv", "usleep", "utime", "utimes", "valloc",
	"vfprintf", "vfscanf", "vprintf", "vscanf", "vsnprintf", "vsprintf", "vsscanf", "wait", "wait3",
	"wait4", "waitid", "waitpid", "wcscat", "wcschr", "wcscmp", "wcscpy", "wcslen", "wcsncmp",
	"wcsncpy", "wctomb", "write", "writev",
};

static int kl_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int kl_is_libc_name(const char *name)
{
	if (!name)
		return 0;
	return bsearch(name, kl_names, sizeof kl_names / sizeof kl_names[0], sizeof kl_names[0], kl_cmp) != NULL;
}
