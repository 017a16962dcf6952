/*
 * lazy_curl.c - the libcurl functions feedmerge calls, opening libcurl on
 * the first call (see lazylib.h). Each passes its arguments on unchanged;
 * when libcurl cannot be opened each fails as libcurl itself does when out
 * of memory (NULL, CURLE_FAILED_INIT, ...), which every caller handles.
 */
#define CURL_DISABLE_TYPECHECK /* the type-checking macros would rename these definitions */
#include "cli/lazylib.h"

#include <curl/curl.h>
#include <stdarg.h>

#ifndef FM_CURL_SONAME
#define FM_CURL_SONAME "libcurl.so.4"
#endif

#define LAZY_CURL_FUNCTIONS(X) \
	X(curl_global_init) X(curl_global_cleanup) X(curl_free) X(curl_getdate) \
	X(curl_slist_append) X(curl_slist_free_all) \
	X(curl_easy_init) X(curl_easy_setopt) X(curl_easy_getinfo) X(curl_easy_cleanup) \
	X(curl_easy_strerror) \
	X(curl_multi_init) X(curl_multi_setopt) X(curl_multi_add_handle) \
	X(curl_multi_remove_handle) X(curl_multi_perform) X(curl_multi_poll) \
	X(curl_multi_info_read) X(curl_multi_cleanup) \
	X(curl_url) X(curl_url_set) X(curl_url_get) X(curl_url_cleanup)

#define LAZY_SLOT(name) SLOT_##name,
#define LAZY_NAME(name) #name,
enum { LAZY_CURL_FUNCTIONS(LAZY_SLOT) LAZY_CURL_COUNT };
static const char *const lazy_curl_names[] = { LAZY_CURL_FUNCTIONS(LAZY_NAME) };
static void *lazy_curl_fns[LAZY_CURL_COUNT];
static struct lazylib lazy_curl = {
	FM_CURL_SONAME, lazy_curl_names, LAZY_CURL_COUNT, lazy_curl_fns, 0
};

/* libcurl's own function called name, with the type curl.h declares it with. */
#define REAL(name) ((__typeof__(&name))lazy_curl_fns[SLOT_##name])

/* Returns 1 when libcurl is open (opening it now if need be), 0 when it cannot be. */
static int
curl_ready(void)
{
	return fm_lazylib_ready(&lazy_curl);
}

/* Returns 1 when libcurl was opened already: a cleanup of nothing need not open it. */
static int
curl_open_already(void)
{
	return fm_lazylib_loaded(&lazy_curl);
}

/* A function pointer of any type passes through `...` as this one. */
typedef void (*lazy_callback)(void);

CURLcode
curl_global_init(long flags)
{
	return curl_ready() ? REAL(curl_global_init)(flags) : CURLE_FAILED_INIT;
}

void
curl_global_cleanup(void)
{
	if (curl_open_already())
		REAL(curl_global_cleanup)();
}

void
curl_free(void *p)
{
	if (p && curl_open_already())
		REAL(curl_free)(p);
}

time_t
curl_getdate(const char *p, const time_t *unused)
{
	return curl_ready() ? REAL(curl_getdate)(p, unused) : -1;
}

struct curl_slist *
curl_slist_append(struct curl_slist *list, const char *data)
{
	return curl_ready() ? REAL(curl_slist_append)(list, data) : NULL;
}

void
curl_slist_free_all(struct curl_slist *list)
{
	if (list && curl_open_already())
		REAL(curl_slist_free_all)(list);
}

CURL *
curl_easy_init(void)
{
	return curl_ready() ? REAL(curl_easy_init)() : NULL;
}

/*
 * The option's number says the type of its one argument (curl.h's
 * CURLOPTTYPE_ ranges, the same for easy and multi options): it is read
 * as that type and passed on as it; the macro is the setter's result.
 */
#define LAZY_SETOPT(setter, handle, option, ap)                                         \
	((option) < CURLOPTTYPE_OBJECTPOINT ? (setter)(handle, option, va_arg(ap, long)) :  \
	 (option) < CURLOPTTYPE_FUNCTIONPOINT ? (setter)(handle, option, va_arg(ap, void *)) : \
	 (option) < CURLOPTTYPE_OFF_T ? (setter)(handle, option, va_arg(ap, lazy_callback)) : \
	 (option) < CURLOPTTYPE_BLOB ? (setter)(handle, option, va_arg(ap, curl_off_t)) :    \
				       (setter)(handle, option, va_arg(ap, void *)))

CURLcode
curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	CURLcode rc = CURLE_FAILED_INIT;
	va_list ap;

	va_start(ap, option);
	if (curl_ready())
		rc = LAZY_SETOPT(REAL(curl_easy_setopt), curl, option, ap);
	va_end(ap);
	return rc;
}

CURLcode
curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	CURLcode rc = CURLE_FAILED_INIT;
	va_list ap;

	va_start(ap, info);
	if (curl_ready())
		rc = REAL(curl_easy_getinfo)(curl, info, va_arg(ap, void *)); /* always a pointer to the answer */
	va_end(ap);
	return rc;
}

void
curl_easy_cleanup(CURL *curl)
{
	if (curl && curl_open_already())
		REAL(curl_easy_cleanup)(curl);
}

const char *
curl_easy_strerror(CURLcode code)
{
	return curl_ready() ? REAL(curl_easy_strerror)(code) : "libcurl could not be loaded";
}

CURLM *
curl_multi_init(void)
{
	return curl_ready() ? REAL(curl_multi_init)() : NULL;
}

CURLMcode
curl_multi_setopt(CURLM *multi, CURLMoption option, ...)
{
	CURLMcode rc = CURLM_INTERNAL_ERROR;
	va_list ap;

	va_start(ap, option);
	if (curl_ready())
		rc = LAZY_SETOPT(REAL(curl_multi_setopt), multi, option, ap);
	va_end(ap);
	return rc;
}

CURLMcode
curl_multi_add_handle(CURLM *multi, CURL *curl)
{
	return curl_ready() ? REAL(curl_multi_add_handle)(multi, curl) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_remove_handle(CURLM *multi, CURL *curl)
{
	return curl_ready() ? REAL(curl_multi_remove_handle)(multi, curl) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_perform(CURLM *multi, int *running)
{
	return curl_ready() ? REAL(curl_multi_perform)(multi, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_poll(CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds,
		int timeout_ms, int *ret)
{
	return curl_ready() ? REAL(curl_multi_poll)(multi, extra_fds, extra_nfds, timeout_ms, ret)
			    : CURLM_INTERNAL_ERROR;
}

CURLMsg *
curl_multi_info_read(CURLM *multi, int *msgs_in_queue)
{
	return curl_ready() ? REAL(curl_multi_info_read)(multi, msgs_in_queue) : NULL;
}

CURLMcode
curl_multi_cleanup(CURLM *multi)
{
	return multi && curl_open_already() ? REAL(curl_multi_cleanup)(multi) : CURLM_OK;
}

CURLU *
curl_url(void)
{
	return curl_ready() ? REAL(curl_url)() : NULL;
}

CURLUcode
curl_url_set(CURLU *handle, CURLUPart what, const char *part, unsigned int flags)
{
	return curl_ready() ? REAL(curl_url_set)(handle, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

CURLUcode
curl_url_get(CURLU *handle, CURLUPart what, char **part, unsigned int flags)
{
	return curl_ready() ? REAL(curl_url_get)(handle, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

void
curl_url_cleanup(CURLU *handle)
{
	if (handle && curl_open_already())
		REAL(curl_url_cleanup)(handle);
}
