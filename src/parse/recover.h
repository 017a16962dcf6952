/* recover.h - a forgiving XML tokenizer for the recovery pass (internal). */
#ifndef FM_PARSE_RECOVER_H
#define FM_PARSE_RECOVER_H

#include <stddef.h>
#include <expat.h>

/* The namespace separator: expanded names are "URI" FM_NS_SEP "local". */
#define FM_NS_SEP '\n'

/* A namespace binding in force where recovery starts; prefix "" is the default namespace. */
typedef struct fm__ns_binding {
	const char *prefix;
	const char *uri;
} fm__ns_binding;

/* Callbacks with expat's own signatures, so one set of handlers serves both. */
typedef struct fm__recover_handlers {
	XML_StartElementHandler start;
	XML_EndElementHandler end;
	XML_CharacterDataHandler text;
	void *userdata;
} fm__recover_handlers;

typedef struct fm__recover fm__recover;

/*
 * Makes a tokenizer. bindings (copied) are the namespaces in scope at the
 * point where input starts. max_token bounds how many bytes one markup
 * token (tag, comment, PI, DOCTYPE) may span before its '<' is taken as
 * text. Returns 0 or FM_ENOMEM.
 */
int fm__recover_new(fm__recover **out, const fm__recover_handlers *h,
		    const fm__ns_binding *bindings, size_t nbindings,
		    size_t max_token);

/*
 * Pushes UTF-8 input, in chunks of any size; the events are the same
 * whatever the chunking (text may be split differently). A handler may
 * call fm__recover_stop. Returns 0, FM_ENOMEM, or FM_ESTOPPED.
 */
int fm__recover_push(fm__recover *r, const char *data, size_t len);

/* Ends input: emits what is pending, then end events for every element still open. Returns as push. */
int fm__recover_finish(fm__recover *r);

/* Called from a handler: no more events are emitted; push and finish return FM_ESTOPPED. */
void fm__recover_stop(fm__recover *r);

/* Frees the tokenizer; accepts NULL. */
void fm__recover_free(fm__recover *r);

#endif
