/* lazylib.c - opens a shared library on first use and resolves its functions. */
#include "cli/lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* One lock for every lazy library: each is opened at most once in a run. */
static pthread_mutex_t lazylib_lock = PTHREAD_MUTEX_INITIALIZER;

/* Opens lib and resolves its names; returns its new state (1 or -1). Called with the lock held. */
static int
lazylib_open(struct lazylib *lib)
{
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!h) {
		fprintf(stderr, "feedmerge: cannot load %s: %s\n", lib->soname, dlerror());
		return -1;
	}
	for (i = 0; i < lib->count; i++)
		if (!(lib->fns[i] = dlsym(h, lib->names[i]))) {
			fprintf(stderr, "feedmerge: %s has no %s (a different version?)\n",
				lib->soname, lib->names[i]);
			return -1; /* the handle stays open: harmless, nothing calls into it */
		}
	return 1;
}

int
fm_lazylib_ready(struct lazylib *lib)
{
	int state = __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE);

	if (state == 0) {
		pthread_mutex_lock(&lazylib_lock);
		if ((state = lib->state) == 0) {
			state = lazylib_open(lib);
			/* The functions are written before the state that says they can be called. */
			__atomic_store_n(&lib->state, state, __ATOMIC_RELEASE);
		}
		pthread_mutex_unlock(&lazylib_lock);
	}
	return state == 1;
}

int
fm_lazylib_loaded(struct lazylib *lib)
{
	return __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE) == 1;
}
