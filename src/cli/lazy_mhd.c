/*
 * lazy_mhd.c - the libmicrohttpd functions feedmerge calls, opening the
 * library on the first call (see lazylib.h): only `daemon --listen` does.
 * When it cannot be opened, each fails as it does when out of memory.
 */
#include "cli/lazylib.h"

#include <microhttpd.h>
#include <stdarg.h>

#ifndef FM_MHD_SONAME
#define FM_MHD_SONAME "libmicrohttpd.so.12"
#endif

#define LAZY_MHD_FUNCTIONS(X) \
	X(MHD_start_daemon_va) X(MHD_stop_daemon) X(MHD_queue_response) \
	X(MHD_lookup_connection_value) X(MHD_create_response_from_buffer) \
	X(MHD_create_response_from_buffer_with_free_callback) X(MHD_add_response_header) \
	X(MHD_destroy_response)

#define LAZY_SLOT(name) SLOT_##name,
#define LAZY_NAME(name) #name,
enum { LAZY_MHD_FUNCTIONS(LAZY_SLOT) LAZY_MHD_COUNT };
static const char *const lazy_mhd_names[] = { LAZY_MHD_FUNCTIONS(LAZY_NAME) };
static void *lazy_mhd_fns[LAZY_MHD_COUNT];
static struct lazylib lazy_mhd = {
	FM_MHD_SONAME, lazy_mhd_names, LAZY_MHD_COUNT, lazy_mhd_fns, 0
};

/* libmicrohttpd's own function called name, with the type microhttpd.h declares it with. */
#define REAL(name) ((__typeof__(&name))lazy_mhd_fns[SLOT_##name])

/* Returns 1 when libmicrohttpd is open (opening it now if need be), 0 when it cannot be. */
static int
mhd_ready(void)
{
	return fm_lazylib_ready(&lazy_mhd);
}

struct MHD_Daemon *
MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,
		 MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	struct MHD_Daemon *d = NULL;
	va_list ap;

	va_start(ap, dh_cls);
	if (mhd_ready())
		d = REAL(MHD_start_daemon_va)(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

void
MHD_stop_daemon(struct MHD_Daemon *daemon)
{
	if (daemon && mhd_ready())
		REAL(MHD_stop_daemon)(daemon);
}

enum MHD_Result
MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
		   struct MHD_Response *response)
{
	return mhd_ready() ? REAL(MHD_queue_response)(connection, status_code, response) : MHD_NO;
}

const char *
MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
			    const char *key)
{
	return mhd_ready() ? REAL(MHD_lookup_connection_value)(connection, kind, key) : NULL;
}

struct MHD_Response *
MHD_create_response_from_buffer(size_t size, void *buffer, enum MHD_ResponseMemoryMode mode)
{
	return mhd_ready() ? REAL(MHD_create_response_from_buffer)(size, buffer, mode) : NULL;
}

struct MHD_Response *
MHD_create_response_from_buffer_with_free_callback(size_t size, void *buffer,
						   MHD_ContentReaderFreeCallback crfc)
{
	return mhd_ready() ? REAL(MHD_create_response_from_buffer_with_free_callback)(size, buffer, crfc)
			   : NULL;
}

enum MHD_Result
MHD_add_response_header(struct MHD_Response *response, const char *header, const char *content)
{
	return mhd_ready() ? REAL(MHD_add_response_header)(response, header, content) : MHD_NO;
}

void
MHD_destroy_response(struct MHD_Response *response)
{
	if (response && mhd_ready())
		REAL(MHD_destroy_response)(response);
}
