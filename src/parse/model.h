/* model.h - the feed model: XML events in, feed fields and items out (internal). */
#ifndef FM_PARSE_MODEL_H
#define FM_PARSE_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <expat.h>

#include "feedmerge/buf.h"
#include "feedmerge/parse.h"

/* String fields of an item or of the feed itself. */
enum model_field {
	MF_ID, MF_TITLE, MF_LINK, MF_SUMMARY, MF_CONTENT, MF_SUBTITLE,
	MF_AUTHOR,       /* an RSS-style "me@example.com (Name)" string, split at the end */
	MF_AUTHOR_NAME, MF_AUTHOR_EMAIL, MF_AUTHOR_URI,
	/* the plain text of a title or subtitle that is HTML; empty otherwise */
	MF_TITLE_TEXT, MF_SUBTITLE_TEXT,
	/* the xml:base (none: the document's URL) and xml:lang in force where a text was written */
	MF_TITLE_BASE, MF_SUBTITLE_BASE, MF_SUMMARY_BASE, MF_CONTENT_BASE,
	MF_TITLE_LANG, MF_SUBTITLE_LANG, MF_SUMMARY_LANG, MF_CONTENT_LANG,
	MF_LANGUAGE,
	MF_P_NAME, MF_P_EMAIL, MF_P_URI, /* the Atom person being read */
	MF_GENERATOR, MF_GENERATOR_URI, MF_GENERATOR_VERSION,
	MF_PUBLISHED_TEXT, MF_UPDATED_TEXT, /* the dates as written */
	MF_NSTR,
	MF_PUBLISHED = MF_NSTR, MF_UPDATED,
	MF_NFIELDS
};

/* An enclosure as offsets into a record's pool (SIZE_MAX: absent). */
typedef struct model_enclosure {
	size_t url, type, length;
} model_enclosure;

/* A category as offsets into a record's pool (SIZE_MAX: absent). */
typedef struct model_cat {
	size_t term, scheme, label;
} model_cat;

/* A person as offsets into a record's pool. */
typedef struct model_person {
	size_t name, email, uri;
	int contributor;
} model_person;

/* A link as offsets into a record's pool. */
typedef struct model_link {
	size_t href, rel, type, title, length;
} model_link;

/* What one item (or the feed) has gathered so far. */
typedef struct model_record {
	fm_buf str[MF_NSTR];
	uint8_t prio[MF_NFIELDS];  /* rank of the source each field came from; 0: unset */
	uint8_t type[MF_NSTR];     /* fm_text_type of a text field as the feed wrote it */
	fm_time published, updated;
	fm_buf pool;               /* NUL-separated strings for categories and enclosures */
	model_cat *cats;
	size_t ncats, acats;
	model_person *people;
	size_t npeople, apeople;
	size_t author_person;      /* the person the winning RSS-style author string made, SIZE_MAX: none */
	model_link *links;
	size_t nlinks, alinks;
	model_enclosure *encs;
	size_t nencs, aencs;
} model_record;

/* Contexts: how the children of an element are read. */
enum {
	CTX_DOC,     /* before the root */
	CTX_FEED,    /* inside <rss> or <rdf:RDF> */
	CTX_CHANNEL, /* inside <channel> or Atom <feed> */
	CTX_ITEM,    /* inside <item> or <entry> */
	CTX_PERSON,  /* inside <atom:author> */
	CTX_MEDIA,   /* inside <media:group> */
	CTX_CAPTURE, /* inside a field whose text is being captured */
	CTX_SKIP,    /* inside something we do not read (image, textInput, source) */
	CTX_SKIPLIST /* inside a channel's <skipHours> or <skipDays> */
};

/* One open element. */
typedef struct model_frame {
	uint16_t el;      /* element code (model.c) */
	uint8_t ctx;      /* context its children are read in */
	uint8_t base_pushed; /* 1 when this element set xml:base */
	uint8_t lang_pushed; /* 1 when this element set xml:lang */
} model_frame;

/* A namespace binding and the depth of the element that declared it. */
typedef struct model_binding {
	char *prefix;
	char *uri;
	size_t depth;
} model_binding;

/* A namespace URI as written and its NS_ code (names.h). */
#define MODEL_NSCACHE 4
typedef struct model_nscache {
	char uri[120];
	size_t len;   /* 0: empty slot (the empty URI never reaches the cache) */
	int ns;
} model_nscache;

/*
 * An expanded element name as written and what it resolved to: a
 * document uses a few dozen names over and over, each looked up once.
 */
#define MODEL_ELCACHE 128
typedef struct model_elcache {
	char name[60];   /* "URI\nlocal" or "local"; longer names are not kept */
	uint8_t len;     /* 0: empty slot */
	uint8_t local;   /* offset of the local name in name */
	uint8_t ns;      /* NS_ code (names.h) */
	uint8_t el;      /* EL_ code (names.h) */
} model_elcache;

/* The model; embedded in the parser, driven by expat or by the recovery tokenizer. */
typedef struct fm__model {
	fm_item_cb on_item;
	void *payload;
	fm_parse_limits limits;

	int status;          /* 0, or the FM_E* code that ends the parse */
	fm_diag diag;        /* why status is set */
	size_t warnings;     /* unparseable dates and the like */
	fm_diag warning;     /* the first warning */
	unsigned long (*line)(void *ctx); /* where the tokenizer is, for messages */
	void *line_ctx;

	model_nscache nscache[MODEL_NSCACHE];
	unsigned nsnext;
	model_elcache elcache[MODEL_ELCACHE];

	fm_format format;
	int netscape;        /* DOCTYPE says Netscape RSS 0.91 */
	int root_done;

	model_frame *stack;
	size_t depth, astack;
	model_binding *bind;
	size_t nbind, abind;
	char **bases;        /* xml:base stack; bases[0] is the document URL (may be NULL) */
	size_t nbases, abases;
	char **langs;        /* xml:lang stack ("" where a language was unset) */
	size_t nlangs, alangs;

	/* The field being captured. */
	int cap_field;       /* enum model_field or a list (categories), -1: none */
	int cap_prio;
	int cap_kind;
	size_t cap_depth;    /* depth of the element whose text is captured */
	size_t cap_skipdiv;  /* depth of an Atom xhtml wrapper div to leave out, 0: none */
	fm_buf cap;          /* the captured text */
	fm_buf tmp;

	int cap_el;          /* element code of the captured element */
	int cap_type;        /* fm_text_type of the converted value */
	int cap_untyped;     /* an Atom text construct without a type attribute */
	int cap_permalink;   /* an RSS guid that is also the link */
	int lenient;         /* events come from the recovery tokenizer: end tags may not match */

	int in_item;
	size_t items;
	const char **catv;   /* scratch for the item handed out */
	size_t acatv;
	fm_category *tagv;
	size_t atagv;
	fm_person *personv;
	size_t apersonv;
	fm_link *linkv;
	size_t alinkv;
	fm_buf pname, pemail; /* an RSS author string, split */
	fm_buf cat_scheme;   /* the scheme (RSS domain) of the category being read */
	fm_buf cat_label;    /* the label of the Media RSS category being read */
	fm_buf link_rel, link_type; /* of the Atom link without href being read */
	fm_buf link_title, link_length;
	fm_buf webmaster;    /* the channel's webMaster: its author when nothing else names one */
	fm_enclosure *encv;
	size_t aencv;
	model_record item, feed;
	fm_feed_hints hints; /* the channel's polling hints so far (sy_seconds: see the next two) */
	int64_t sy_period;   /* seconds of sy:updatePeriod, 0 when not given */
	int sy_frequency;    /* sy:updateFrequency, 0 when not given */
} fm__model;

/*
 * Readies a model in zeroed memory (the parser is calloc'd: the 12 KB are
 * not cleared twice); url (copied) is the document's base URL, lang
 * (copied, may be NULL) its language before any xml:lang. Returns 0 or
 * FM_ENOMEM.
 */
int fm__model_init(fm__model *m, const char *url, const char *lang, const fm_parse_limits *limits,
		   fm_item_cb on_item, void *payload);

/* Releases everything the model holds. */
void fm__model_dispose(fm__model *m);

/*
 * Events, as expat gives them in namespace mode ("URI\nlocal" names,
 * NULL-terminated name/value attribute pairs). After each, m->status says
 * whether the parse must stop.
 */
void fm__model_start(fm__model *m, const char *name, const char **atts);
void fm__model_end(fm__model *m, const char *name);
void fm__model_text(fm__model *m, const char *s, size_t len);
void fm__model_ns_start(fm__model *m, const char *prefix, const char *uri);
void fm__model_ns_end(fm__model *m, const char *prefix);

/* Returns 1 while text events matter: a field is being captured (inline: asked after every tag). */
static inline int
fm__model_wants_text(const fm__model *m)
{
	return m->cap_field >= 0 && m->depth && m->stack[m->depth - 1].ctx == CTX_CAPTURE;
}

/* Forgets everything opened below depth: the state as it was at a checkpoint of that depth. */
void fm__model_rollback(fm__model *m, size_t depth);

/* Closes every element still open (truncated input). */
void fm__model_close_all(fm__model *m);

/* Fills feed with the feed's metadata; strings borrowed from the model. */
void fm__model_feed(fm__model *m, fm_feed *feed);

#endif
