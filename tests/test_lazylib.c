/* test_lazylib.c - the program's opener of libraries on first use (src/cli/lazylib.c). */
#include "cli/lazylib.c"

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

static const char *const zlib_names[] = { "zlibVersion", "crc32" };

Test(lazylib, opens_on_first_use_and_resolves_every_name)
{
	void *fns[2] = { NULL, NULL };
	struct lazylib lib = { "libz.so.1", zlib_names, 2, fns, 0 };
	const char *(*version)(void);

	cr_assert_eq(fm_lazylib_loaded(&lib), 0, "nothing is opened before the first use");
	cr_assert_eq(fm_lazylib_ready(&lib), 1);
	cr_assert_eq(fm_lazylib_loaded(&lib), 1);
	cr_assert(fns[0] && fns[1]);
	version = (const char *(*)(void))fns[0];
	cr_assert_eq(version()[0], '1', "zlibVersion through the slot: %s", version());
	cr_assert_eq(fm_lazylib_ready(&lib), 1, "a second call finds it open");
}

Test(lazylib, a_missing_library_fails_once_with_one_line, .init = cr_redirect_stderr)
{
	void *fns[1] = { NULL };
	struct lazylib lib = { "libfeedmerge-no-such-library.so.9", zlib_names, 1, fns, 0 };

	cr_assert_eq(fm_lazylib_ready(&lib), 0);
	cr_assert_eq(fm_lazylib_ready(&lib), 0, "and stays failed");
	cr_assert_eq(fm_lazylib_loaded(&lib), 0);
	cr_assert_null(fns[0]);
	fflush(stderr);
	cr_assert_stderr_neq_str("");
}

Test(lazylib, a_missing_function_fails, .init = cr_redirect_stderr)
{
	static const char *const names[] = { "zlibVersion", "no_such_function_in_zlib" };
	void *fns[2] = { NULL, NULL };
	struct lazylib lib = { "libz.so.1", names, 2, fns, 0 };

	cr_assert_eq(fm_lazylib_ready(&lib), 0);
	cr_assert_eq(fm_lazylib_loaded(&lib), 0, "a library without every function is not usable");
}

static void *fns_shared[2];
static struct lazylib lib_shared = { "libz.so.1", zlib_names, 2, fns_shared, 0 };

static void *
race_ready(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)fm_lazylib_ready(&lib_shared);
}

Test(lazylib, threads_racing_to_open_all_see_it_open)
{
	pthread_t t[8];
	void *rc;
	int i;

	for (i = 0; i < 8; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, race_ready, NULL), 0);
	for (i = 0; i < 8; i++) {
		cr_assert_eq(pthread_join(t[i], &rc), 0);
		cr_assert_eq((intptr_t)rc, 1, "thread %d saw it unopened", i);
	}
	cr_assert(fns_shared[0] && fns_shared[1]);
}
