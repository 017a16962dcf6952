/*
 * lazylib.h - libraries the feedmerge program opens when first used.
 *
 * libcurl and libmicrohttpd bring about thirty shared libraries with them
 * (OpenSSL, GnuTLS, Kerberos, LDAP, ...), and the dynamic loader costs
 * some 5 ms of every start resolving them, a twentieth of `parse` over
 * 600 feeds. The program therefore defines the few functions of theirs it
 * calls (lazy_curl.c, lazy_mhd.c) and opens the real library, by its
 * soname, the first time one is called: by `run` and `daemon`, and by
 * `parse` only for the odd relative link its own resolver leaves to
 * libcurl. The library libfeedmerge.a and the tests link both as usual.
 */
#ifndef FM_CLI_LAZYLIB_H
#define FM_CLI_LAZYLIB_H

#include <stddef.h>

/* A library opened on first use: its soname and the names of the functions wanted from it. */
struct lazylib {
	const char *soname;
	const char *const *names;
	size_t count;
	void **fns;        /* count slots, filled in order of names */
	int state;         /* 0 not tried, 1 loaded, -1 failed (said once on stderr) */
};

/*
 * Opens lib once, thread-safely, resolving every name; returns 1 when all
 * its functions can be called, 0 when not (one line on stderr said why,
 * the first time).
 */
int fm_lazylib_ready(struct lazylib *lib);

/* Returns 1 when lib was opened already (for cleanups that need not open it), 0 if not. */
int fm_lazylib_loaded(struct lazylib *lib);

#endif
