/* kp_git.h: the port dir's git history.  Every commit is made with a fixed
 * author, committer and date and without the user's git config, so the same
 * inputs give the same commit ids. */
#ifndef KP_GIT_H
#define KP_GIT_H

#include "kp_util.h"

#define KG_AUTHOR "kpiport"
#define KG_EMAIL "kpiport@localhost"
#define KG_DATE "2000-01-01T00:00:00+0000"

int kg_init(const char *dir);
/* Stage everything in dir and commit with `message`; *sha gets the commit id
 * (malloc'd) when sha != NULL.  An empty change still makes a commit
 * (--allow-empty): a rule that changed nothing says so in the history. */
int kg_commit_all(const char *dir, const char *message, char **sha);
/* Run git with args in dir, capturing stdout into out (may be NULL). */
int kg_git(const char *dir, const char *const *args, ku_buf *out);
/* Number of changed hunks between `from` and `to` (diff -U0); to == NULL
 * compares with the work tree. */
int kg_count_hunks(const char *dir, const char *from, const char *to);

#endif
