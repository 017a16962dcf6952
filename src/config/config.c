/* config.c - reads the INI file (inih) into an immutable fm_config. */
/* realpath() is XSI. */
#define _XOPEN_SOURCE 700
#include "feedmerge/config.h"
#include "feedmerge/version.h"
#include "config/fields.h"
#include "config/units.h"
#include "util/grow.h"
#include "util/strindex.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The user agent every feed sends unless told otherwise. */
#define CONFIG_USER_AGENT "feedmerge/" FEEDMERGE_VERSION " (+" FEEDMERGE_URL ")"

/* Section kinds. */
enum { SEC_NONE, SEC_MAIN, SEC_DEDUP, SEC_OUTPUT, SEC_FEED };

/* What a key's value must look like. */
enum {
	T_DURATION, T_SIZE, T_INT, T_BOOL, T_STRING, T_PATH,
	T_FORMAT, T_IDENTITY, T_URL, T_REGEX, T_CHARSET,
	T_HEADER,   /* "Name: value", repeatable: appended to the section's headers */
	T_SECRET,   /* a path read now: its first line is the password */
	T_PROXY,    /* a proxy URL: scheme://host[:port] */
	T_NAMES,    /* names (as of sections) separated by spaces: a list, its count at aux */
	T_LANG,     /* a language tag (RFC 5646) */
	T_WEBURL,   /* an http:// or https:// URL */
	T_INTERVAL  /* a duration, or auto (sets the int at aux) */
};

/* One key of a section: its name, its type, where it goes and its bounds. */
typedef struct config_key {
	const char *name;
	int type;
	size_t off;     /* offset in the section's struct */
	long long min;  /* T_INT, T_DURATION: smallest value */
	long long max;  /* T_INT: largest value */
	size_t aux;     /* T_REGEX: offset of the compiled pattern; lists: of their count */
} config_key;

#define KEY(s, name, type, min, max) { #name, type, offsetof(s, name), min, max, 0 }
/* A key whose field has another name (header = ... fills headers); aux: its count. */
#define KEY_AT(s, name, field, type, count) { #name, type, offsetof(s, field), 0, 0, offsetof(s, count) }
/* A pattern: the text in name, the compiled form in name_re. */
#define KEY_RE(s, name) { #name, T_REGEX, offsetof(s, name), 0, 0, offsetof(s, name##_re) }

static const config_key config_main_keys[] = {
	KEY(fm_config_main, state, T_PATH, 0, 0),
	KEY_AT(fm_config_main, interval, interval, T_INTERVAL, interval_auto),
	KEY(fm_config_main, max_interval, T_DURATION, 60, 0),
	KEY(fm_config_main, timeout, T_DURATION, 1, 0),
	KEY(fm_config_main, concurrency, T_INT, 1, 1024),
	KEY(fm_config_main, per_host, T_INT, 1, 1024),
	KEY(fm_config_main, user_agent, T_STRING, 0, 0),
	KEY(fm_config_main, max_feed_size, T_SIZE, 1, 0),
	KEY(fm_config_main, keep, T_DURATION, 0, 0),
	KEY(fm_config_main, lock_wait, T_DURATION, 0, 0),
	KEY(fm_config_main, proxy, T_PROXY, 0, 0),
	KEY(fm_config_main, ca_file, T_PATH, 0, 0),
	{ NULL, 0, 0, 0, 0, 0 }
};

static const config_key config_dedup_keys[] = {
	KEY(fm_config_dedup, threshold, T_INT, 0, 10),
	KEY(fm_config_dedup, window, T_DURATION, 1, 0),
	{ NULL, 0, 0, 0, 0, 0 }
};

static const config_key config_output_keys[] = {
	KEY(fm_config_output, path, T_PATH, 0, 0),
	KEY(fm_config_output, format, T_FORMAT, 0, 0),
	KEY(fm_config_output, title, T_STRING, 0, 0),
	KEY(fm_config_output, link, T_STRING, 0, 0),
	KEY(fm_config_output, max_items, T_INT, 0, 1000000),
	KEY(fm_config_output, max_age, T_DURATION, 0, 0),
	KEY_AT(fm_config_output, groups, groups, T_NAMES, ngroups),
	KEY_AT(fm_config_output, feeds, feeds, T_NAMES, nfeeds),
	KEY_RE(fm_config_output, include),
	KEY_RE(fm_config_output, exclude),
	KEY(fm_config_output, url, T_WEBURL, 0, 0),
	KEY(fm_config_output, language, T_LANG, 0, 0),
	{ NULL, 0, 0, 0, 0, 0 }
};

static const config_key config_feed_keys[] = {
	KEY(fm_config_feed, url, T_URL, 0, 0),
	KEY_AT(fm_config_feed, interval, interval, T_INTERVAL, interval_auto),
	KEY(fm_config_feed, max_interval, T_DURATION, 60, 0),
	KEY(fm_config_feed, priority, T_INT, -1000000, 1000000),
	KEY_RE(fm_config_feed, include),
	KEY_RE(fm_config_feed, exclude),
	KEY(fm_config_feed, enabled, T_BOOL, 0, 0),
	KEY(fm_config_feed, cluster, T_BOOL, 0, 0),
	KEY(fm_config_feed, identity, T_IDENTITY, 0, 0),
	KEY(fm_config_feed, user_agent, T_STRING, 0, 0),
	KEY(fm_config_feed, encoding, T_CHARSET, 0, 0),
	KEY(fm_config_feed, username, T_STRING, 0, 0),
	KEY(fm_config_feed, password, T_STRING, 0, 0),
	KEY(fm_config_feed, password_file, T_SECRET, 0, 0),
	KEY_AT(fm_config_feed, header, headers, T_HEADER, nheaders),
	KEY(fm_config_feed, proxy, T_PROXY, 0, 0),
	KEY(fm_config_feed, ca_file, T_PATH, 0, 0),
	KEY(fm_config_feed, tls_verify, T_BOOL, 0, 0),
	KEY_AT(fm_config_feed, groups, groups, T_NAMES, ngroups),
	{ NULL, 0, 0, 0, 0, 0 }
};

#define CONFIG_MAXKEYS 32

/* The section kinds: the word in brackets, whether it takes a NAME, its keys. */
static const struct config_kind {
	const char *word;
	int kind;
	int named;
	const config_key *keys;
} config_kinds[] = {
	{ "feedmerge", SEC_MAIN, 0, config_main_keys },
	{ "dedup", SEC_DEDUP, 0, config_dedup_keys },
	{ "output", SEC_OUTPUT, 1, config_output_keys },
	{ "feed", SEC_FEED, 1, config_feed_keys },
};
#define CONFIG_NKINDS (sizeof(config_kinds) / sizeof(config_kinds[0]))

struct fm_config {
	char *path;
	fm_config_main main;
	fm_config_dedup dedup;
	fm_config_output *outputs;
	size_t noutputs, outputs_cap;
	fm_config_feed *feeds;
	size_t nfeeds, feeds_cap;
	fm_strindex feed_names; /* feeds by name */
	char **strs;          /* every block the structs' strings are in (config_keep) */
	size_t nstrs, strs_cap;
	char *arena;          /* room left for config_strdup's copies, in the last block it kept */
	size_t arena_left;
	regex_t **res;        /* every compiled pattern */
	size_t nres, res_cap;
};

/* Index callback: the name of feed pos. */
static const char *
config_feed_name(const void *ud, size_t pos)
{
	return ((const fm_config *)ud)->feeds[pos].name;
}

/* The state of one load. */
typedef struct config_ctx {
	fm_config *cfg;
	const char *path;     /* as given, for messages */
	char *dir;            /* the config file's directory, absolute */
	FILE *f;
	char *line;           /* getline's buffer */
	size_t linecap;
	unsigned long lineno;
	const struct config_kind *kind; /* current section's kind, or NULL */
	char section[128];    /* "feed bbc", for messages */
	void *base;           /* the struct the current section fills */
	unsigned long keyline[CONFIG_MAXKEYS]; /* where each key was set */
	unsigned long main_line, dedup_line;
	int error;            /* first error, 0 while none */
	fm_diag *diag;
} config_ctx;

/* Records the first error at the current line; returns code. */
static int
config_fail(config_ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
config_fail(config_ctx *ctx, int code, const char *fmt, ...)
{
	char msg[sizeof(ctx->diag->msg)];
	va_list ap;

	if (ctx->error)
		return ctx->error;
	ctx->error = code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fm_diag_set(ctx->diag, ctx->lineno, 0, "%s:%lu: %s", ctx->path, ctx->lineno, msg);
	return code;
}

/* Returns a private copy of s kept by cfg, or NULL when out of memory. */
static char *
config_keep(fm_config *cfg, char *s)
{
	if (!s)
		return NULL;
	if (fm__grow(&cfg->strs, &cfg->strs_cap, cfg->nstrs, sizeof(*cfg->strs), 16)) {
		free(s);
		return NULL;
	}
	return cfg->strs[cfg->nstrs++] = s;
}

/*
 * config_strdup's copies are packed into blocks of this many bytes (a copy
 * of its own past an eighth of it): a configuration of 100,000 feeds is
 * 200,000 short strings, and a malloc each cost 6 MB more.
 */
#define CONFIG_ARENA_BLOCK 16384

/* Returns a copy of s owned by cfg, or NULL when out of memory. */
static const char *
config_strdup(fm_config *cfg, const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy;

	if (n > CONFIG_ARENA_BLOCK / 8)
		return config_keep(cfg, strdup(s));
	if (n > cfg->arena_left) {
		if (!(cfg->arena = config_keep(cfg, malloc(CONFIG_ARENA_BLOCK)))) {
			cfg->arena_left = 0;
			return NULL;
		}
		cfg->arena_left = CONFIG_ARENA_BLOCK;
	}
	copy = memcpy(cfg->arena, s, n);
	cfg->arena += n;
	cfg->arena_left -= n;
	return copy;
}

/* Returns dir/rel as a new string owned by cfg (rel itself when absolute), or NULL. */
static const char *
config_join(config_ctx *ctx, const char *rel)
{
	size_t n;
	char *s;

	if (rel[0] == '/')
		return config_strdup(ctx->cfg, rel);
	n = strlen(ctx->dir) + strlen(rel) + 2;
	if (!(s = malloc(n)))
		return NULL;
	snprintf(s, n, "%s/%s", ctx->dir, rel);
	return config_keep(ctx->cfg, s);
}

/* Returns the Levenshtein distance of a and b (short strings only). */
static size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[65], prev, tmp;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j] > row[j - 1] + 1)
				row[j] = row[j - 1] + 1;
			if (row[j] > tmp + 1)
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

/* Returns the candidate closest to word within distance 2, or NULL. */
static const char *
config_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = 3, d, i;

	for (i = 0; i < n; i++)
		if ((d = config_distance(word, cands[i])) < bestd) {
			bestd = d;
			best = cands[i];
		}
	return best;
}

/* Returns 1 when s is a valid NAME: letters, digits, '.', '_', '-'. */
static int
config_name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* Returns the line key name was set on in the current section, 0 when it was not. */
static unsigned long
config_key_line(const config_ctx *ctx, const char *name)
{
	size_t i;

	for (i = 0; ctx->kind->keys[i].name; i++)
		if (!strcmp(ctx->kind->keys[i].name, name))
			return ctx->keyline[i];
	return 0;
}

/* Checks the section being left: required keys. Returns 0 or an error. */
static int
config_section_end(config_ctx *ctx)
{
	unsigned long line = ctx->lineno;
	int error = 0;

	if (!ctx->kind)
		return 0;
	if (ctx->kind->kind == SEC_OUTPUT) {
		fm_config_output *o = ctx->base;
		if (!o->path) {
			ctx->lineno = o->line;
			error = config_fail(ctx, FM_EINVAL, "[%s]: path missing: expected path = FILE", ctx->section);
		}
	} else if (ctx->kind->kind == SEC_FEED) {
		fm_config_feed *f = ctx->base;
		if (!f->url) {
			ctx->lineno = f->line;
			error = config_fail(ctx, FM_EINVAL,
					    "[%s]: url missing: expected url = an http://, https:// or file: URL",
					    ctx->section);
		} else if (config_key_line(ctx, "password") && config_key_line(ctx, "password_file")) {
			ctx->lineno = config_key_line(ctx, "password_file");
			error = config_fail(ctx, FM_EINVAL,
					    "[%s] password_file: given with password; expected one of them", ctx->section);
		} else if (f->password && !f->username) {
			ctx->lineno = f->line;
			error = config_fail(ctx, FM_EINVAL,
					    "[%s] username: missing: a password needs username = NAME", ctx->section);
		}
	}
	if (!error)
		ctx->lineno = line;
	ctx->kind = NULL;
	ctx->base = NULL;
	return error;
}

/* Starts the section whose header holds text (between the brackets). Returns 0 or an error. */
static int
config_section(config_ctx *ctx, char *text)
{
	const char *words[CONFIG_NKINDS];
	const struct config_kind *kind = NULL;
	char *word, *name, *end;
	const char *hint;
	size_t i;
	int error;

	if ((error = config_section_end(ctx)) < 0)
		return error;
	while (*text == ' ' || *text == '\t')
		text++;
	end = text + strlen(text);
	while (end > text && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	word = text;
	name = word + strcspn(word, " \t");
	if (*name) {
		*name++ = '\0';
		name += strspn(name, " \t");
	}
	for (i = 0; i < CONFIG_NKINDS; i++) {
		words[i] = config_kinds[i].word;
		if (!strcmp(word, config_kinds[i].word))
			kind = &config_kinds[i];
	}
	if (!kind) {
		hint = config_suggest(word, words, CONFIG_NKINDS);
		if (hint)
			return config_fail(ctx, FM_EINVAL,
					   "unknown section [%s%s%s] (did you mean [%s%s%s]?)",
					   word, *name ? " " : "", name, hint, *name ? " " : "", name);
		return config_fail(ctx, FM_EINVAL,
				   "unknown section [%s%s%s]: expected [feedmerge], [dedup], [output NAME] or [feed NAME]",
				   word, *name ? " " : "", name);
	}
	if (!kind->named && *name)
		return config_fail(ctx, FM_EINVAL, "[%s %s]: [%s] takes no name", word, name, word);
	if (kind->named && !*name)
		return config_fail(ctx, FM_EINVAL, "[%s]: expected a name: [%s NAME]", word, word);
	if (kind->named && !config_name_ok(name))
		return config_fail(ctx, FM_EINVAL,
				   "[%s %s]: expected a NAME of letters, digits, '.', '_' and '-'", word, name);
	if (strlen(name) > 64)
		return config_fail(ctx, FM_EINVAL, "[%s %.64s...]: expected a NAME of at most 64 bytes", word, name);
	snprintf(ctx->section, sizeof(ctx->section), "%s%s%s", word, *name ? " " : "", name);
	memset(ctx->keyline, 0, sizeof(ctx->keyline));

	switch (kind->kind) {
	case SEC_MAIN:
	case SEC_DEDUP: {
		unsigned long *seen = kind->kind == SEC_MAIN ? &ctx->main_line : &ctx->dedup_line;
		if (*seen)
			return config_fail(ctx, FM_EINVAL, "[%s] given twice (first at line %lu)", word, *seen);
		*seen = ctx->lineno;
		ctx->base = kind->kind == SEC_MAIN ? (void *)&ctx->cfg->main : (void *)&ctx->cfg->dedup;
		break;
	}
	case SEC_OUTPUT: {
		fm_config *cfg = ctx->cfg;
		fm_config_output *o;
		for (i = 0; i < cfg->noutputs; i++)
			if (!strcmp(cfg->outputs[i].name, name))
				return config_fail(ctx, FM_EINVAL, "[output %s] given twice (first at line %lu)",
						   name, cfg->outputs[i].line);
		if (fm__grow(&cfg->outputs, &cfg->outputs_cap, cfg->noutputs, sizeof(*o), 8) < 0)
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		o = &cfg->outputs[cfg->noutputs];
		memset(o, 0, sizeof(*o));
		if (!(o->name = config_strdup(cfg, name)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		o->line = ctx->lineno;
		o->format = FM_OUTPUT_ATOM;
		o->max_items = FM_CONFIG_MAX_ITEMS;
		o->max_age = FM_CONFIG_MAX_AGE;
		cfg->noutputs++;
		ctx->base = o;
		break;
	}
	case SEC_FEED: {
		fm_config *cfg = ctx->cfg;
		fm_config_feed *f;
		if ((i = fm__strindex_find(&cfg->feed_names, name, config_feed_name, cfg)) != SIZE_MAX)
			return config_fail(ctx, FM_EINVAL, "[feed %s] given twice (first at line %lu)",
					   name, cfg->feeds[i].line);
		if (fm__grow(&cfg->feeds, &cfg->feeds_cap, cfg->nfeeds, sizeof(*f), 8) < 0)
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		f = &cfg->feeds[cfg->nfeeds];
		memset(f, 0, sizeof(*f));
		if (!(f->name = config_strdup(cfg, name)) ||
		    fm__strindex_add(&cfg->feed_names, name, cfg->nfeeds, config_feed_name, cfg))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		f->line = ctx->lineno;
		f->priority = FM_CONFIG_PRIORITY;
		f->enabled = 1;
		f->cluster = 1;
		f->identity = FM_IDENTITY_GUID;
		f->tls_verify = 1;
		cfg->nfeeds++;
		ctx->base = f;
		break;
	}
	}
	ctx->kind = kind;
	return 0;
}

static int config_handler(void *user, const char *section, const char *name,
			  const char *value);

/* Trims spaces and tabs around the string *s in place. */
static void
config_trim(char **s)
{
	char *end;

	while (**s == ' ' || **s == '\t')
		(*s)++;
	end = *s + strlen(*s);
	while (end > *s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
}

/*
 * Reads a line too long for inih's buffer (Debian builds it with 200
 * bytes; feed URLs with tracking parameters are longer) the way inih
 * would: a comment, or KEY = VALUE (or KEY : VALUE) with an inline
 * " ;" comment dropped, handed to config_handler. Returns 1 when it was
 * read, 0 after an error (recorded in ctx).
 */
static int
config_long_line(config_ctx *ctx, char *p)
{
	char *eq, *name, *value, *end;

	if (p[0] == ';' || p[0] == '#')
		return 1;
	eq = p + strcspn(p, "=:");
	if (p[0] == '[' || !*eq) {
		config_fail(ctx, FM_EINVAL, "expected KEY = VALUE, [SECTION] or a comment");
		return 0;
	}
	*eq = '\0';
	name = p;
	value = eq + 1;
	for (end = value; *end; end++)
		if (*end == ';' && end > value && (end[-1] == ' ' || end[-1] == '\t')) {
			*end = '\0';
			break;
		}
	config_trim(&name);
	config_trim(&value);
	return config_handler(ctx, ctx->section, name, value);
}

/*
 * inih's reader: hands inih one whole line at a time, so that the line
 * count here is the line of every handler call. It also starts sections
 * (inih calls nothing for a section without keys) and refuses lines longer
 * than inih's buffer, which inih would silently cut. Returns NULL at the
 * end of the file or after the first error, which ends the parse.
 */
static char *
config_reader(char *str, int num, void *stream)
{
	config_ctx *ctx = stream;
	ssize_t n;
	char *p, *close;

	if (ctx->error)
		return NULL;
	if ((n = getline(&ctx->line, &ctx->linecap, ctx->f)) < 0)
		return NULL;
	ctx->lineno++;
	p = ctx->line;
	if (ctx->lineno == 1 && !strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	/* A leading blank would make inih continue the previous value. */
	while (*p == ' ' || *p == '\t')
		p++;
	n = (ssize_t)strlen(p);
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		p[--n] = '\0';
	if (n > num - 3 && !config_long_line(ctx, p))
		return NULL;
	if (n > num - 3) {
		/* Read here already: inih sees a blank line, so its count stays right. */
		str[0] = '\n';
		str[1] = '\0';
		return str;
	}
	if (p[0] == '[' && (close = strchr(p, ']'))) {
		char text[256];
		size_t len = (size_t)(close - p - 1);
		if (len >= sizeof(text))
			len = sizeof(text) - 1;
		memcpy(text, p + 1, len);
		text[len] = '\0';
		if (config_section(ctx, text) < 0)
			return NULL;
	}
	memcpy(str, p, (size_t)n);
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

/* Returns 1 for yes/true/on/1, 0 for no/false/off/0, -1 otherwise. */
static int
config_bool(const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return 1;
		if (!strcasecmp(v, no[i]))
			return 0;
	}
	return -1;
}

/* Returns 1 when s holds a control character or a space. */
static int
config_has_space(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return 1;
	return 0;
}

/* Returns a new string (owned by cfg) of path with bytes a URL cannot hold percent-encoded, or NULL. */
static char *
config_url_path(fm_config *cfg, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *s, *q;

	if (!(s = malloc(strlen(path) * 3 + 1)))
		return NULL;
	for (q = s; *path; path++) {
		unsigned char c = (unsigned char)*path;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("/-._~", c)) {
			*q++ = (char)c;
		} else {
			*q++ = '%';
			*q++ = hex[c >> 4];
			*q++ = hex[c & 15];
		}
	}
	*q = '\0';
	return config_keep(cfg, s);
}

/*
 * Checks a feed URL and stores its effective form in *out: http:// and
 * https:// URLs as written; file:///ABS and file://localhost/ABS as
 * written; file:/ABS as file:///ABS; file:REL (no slash after the colon)
 * as file:// + the config file's directory + / + REL. Returns 0 or an error.
 */
static int
config_url(config_ctx *ctx, const char **out, const char *v)
{
	const char *rest;
	char *dir, *s;
	size_t n;

	if (config_has_space(v))
		return FM_EINVAL;
	if (!strncasecmp(v, "http://", 7) || !strncasecmp(v, "https://", 8)) {
		rest = strstr(v, "://") + 3;
		if (!*rest || *rest == '/')
			return FM_EINVAL;
		*out = config_strdup(ctx->cfg, v);
		return *out ? 0 : FM_ENOMEM;
	}
	if (strncasecmp(v, "file:", 5))
		return FM_EINVAL;
	rest = v + 5;
	if (!strncmp(rest, "//", 2)) {
		if (rest[2] != '/' && strncasecmp(rest + 2, "localhost/", 10))
			return FM_EINVAL;
		*out = config_strdup(ctx->cfg, v);
		return *out ? 0 : FM_ENOMEM;
	}
	if (!*rest)
		return FM_EINVAL;
	if (*rest == '/') {
		n = strlen(rest) + 8;
		if (!(s = malloc(n)))
			return FM_ENOMEM;
		snprintf(s, n, "file://%s", rest);
		return (*out = config_keep(ctx->cfg, s)) ? 0 : FM_ENOMEM;
	}
	if (!(dir = config_url_path(ctx->cfg, ctx->dir)))
		return FM_ENOMEM;
	n = strlen(dir) + strlen(rest) + 9;
	if (!(s = malloc(n)))
		return FM_ENOMEM;
	snprintf(s, n, "file://%s/%s", dir, rest);
	return (*out = config_keep(ctx->cfg, s)) ? 0 : FM_ENOMEM;
}

/*
 * Appends the first n bytes of s to the NULL-terminated list *list of
 * *count strings, all kept by cfg: a new array each time, the old one
 * staying with cfg until it is freed. Returns 0 or FM_ENOMEM.
 */
static int
config_list_add(fm_config *cfg, const char ***list, size_t *count, const char *s, size_t n)
{
	const char **v;
	char *copy;

	if (!(v = malloc((*count + 2) * sizeof(*v))) || !config_keep(cfg, (char *)v))
		return FM_ENOMEM;
	if (*count)
		memcpy(v, *list, *count * sizeof(*v));
	if (!(copy = strndup(s, n)) || !(v[*count] = config_keep(cfg, copy)))
		return FM_ENOMEM;
	v[++*count] = NULL;
	*list = v;
	return 0;
}

/* Compiles a pattern kept by cfg into *out; returns 0, FM_EINVAL (message in err) or FM_ENOMEM. */
static int
config_regex(fm_config *cfg, const regex_t **out, const char *v, char *err, size_t errsz)
{
	regex_t *re;
	int rc;

	if (fm__grow(&cfg->res, &cfg->res_cap, cfg->nres, sizeof(*cfg->res), 8))
		return FM_ENOMEM;
	if (!(re = malloc(sizeof(*re))))
		return FM_ENOMEM;
	if ((rc = regcomp(re, v, REG_EXTENDED | REG_ICASE | REG_NOSUB)) != 0) {
		regerror(rc, re, err, errsz);
		free(re);
		return rc == REG_ESPACE ? FM_ENOMEM : FM_EINVAL;
	}
	cfg->res[cfg->nres++] = re;
	*out = re;
	return 0;
}

/* Sets one key of the current section from its value. Returns 0 or an error. */
static int
config_set(config_ctx *ctx, const config_key *k, const char *v)
{
	char *field = (char *)ctx->base + k->off;
	const char *what = ctx->section;
	char err[128];
	int error, b;
	long long ll;
	char *end;
	int64_t d;
	uint64_t sz;

#define BAD(...) config_fail(ctx, FM_EINVAL, "[%s] %s: " __VA_ARGS__)
	switch (k->type) {
	case T_INTERVAL:
		if (!strcmp(v, "auto")) {
			*(int *)(void *)((char *)ctx->base + k->aux) = 1;
			return 0;
		}
		/* A feed's own duration says "not auto" (-1), whatever [feedmerge] says. */
		*(int *)(void *)((char *)ctx->base + k->aux) = ctx->kind->kind == SEC_FEED ? -1 : 0;
		__attribute__((fallthrough)); /* to a duration above 0 */
	case T_DURATION:
		error = fm__config_duration(&d, v);
		if (error == FM_ELIMIT)
			return BAD("expected a duration of at most 100 years, got \"%s\"", what, k->name, v);
		if (error < 0)
			return BAD("expected a duration like 15m or 2h, got \"%s\"", what, k->name, v);
		if (d < k->min && k->min > 1)
			return BAD("expected a duration of at least %llds, got \"%s\"", what, k->name, k->min, v);
		if (d < k->min)
			return BAD("expected a duration above 0 like 15m or 2h, got \"%s\"", what, k->name, v);
		*(int64_t *)field = d;
		return 0;
	case T_SIZE:
		if (fm__config_size(&sz, v) < 0 || sz < (uint64_t)k->min)
			return BAD("expected a size like 512K or 16M, got \"%s\"", what, k->name, v);
		*(uint64_t *)field = sz;
		return 0;
	case T_INT:
		errno = 0;
		ll = strtoll(v, &end, 10);
		if (!*v || *end || errno || ll < k->min || ll > k->max || config_has_space(v))
			return BAD("expected a whole number from %lld to %lld, got \"%s\"",
				   what, k->name, k->min, k->max, v);
		if (ctx->kind->kind == SEC_OUTPUT)
			*(size_t *)field = (size_t)ll;
		else
			*(int *)field = (int)ll;
		return 0;
	case T_BOOL:
		if ((b = config_bool(v)) < 0)
			return BAD("expected yes or no (or true/false, on/off, 1/0), got \"%s\"", what, k->name, v);
		*(int *)field = b;
		return 0;
	case T_STRING:
	case T_PATH:
		if (!*v)
			return BAD("expected a value, got nothing", what, k->name);
		if (!(*(const char **)field = k->type == T_PATH ? config_join(ctx, v) : config_strdup(ctx->cfg, v)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		return 0;
	case T_FORMAT:
		if (!strcmp(v, "atom"))
			*(fm_config_format *)field = FM_OUTPUT_ATOM;
		else if (!strcmp(v, "rss"))
			*(fm_config_format *)field = FM_OUTPUT_RSS;
		else if (!strcmp(v, "json"))
			*(fm_config_format *)field = FM_OUTPUT_JSON;
		else if (!strcmp(v, "html"))
			*(fm_config_format *)field = FM_OUTPUT_HTML;
		else
			return BAD("expected atom, rss, json or html, got \"%s\"", what, k->name, v);
		return 0;
	case T_IDENTITY:
		if (!strcmp(v, "guid"))
			*(fm_config_identity *)field = FM_IDENTITY_GUID;
		else if (!strcmp(v, "link"))
			*(fm_config_identity *)field = FM_IDENTITY_LINK;
		else if (!strcmp(v, "title+date"))
			*(fm_config_identity *)field = FM_IDENTITY_TITLE_DATE;
		else
			return BAD("expected guid, link or title+date, got \"%s\"", what, k->name, v);
		return 0;
	case T_URL:
		if ((error = config_url(ctx, (const char **)field, v)) == FM_ENOMEM)
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		if (error < 0)
			return BAD("expected an http://, https://, file:///ABSOLUTE or file:RELATIVE URL, got \"%s\"",
				   what, k->name, v);
		return 0;
	case T_REGEX: {
		const regex_t **re = (const regex_t **)(void *)((char *)ctx->base + k->aux);
		if (!*v)
			return BAD("expected a POSIX extended regular expression, got nothing", what, k->name);
		if ((error = config_regex(ctx->cfg, re, v, err, sizeof(err))) == FM_ENOMEM)
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		if (error < 0)
			return BAD("expected a POSIX extended regular expression, got \"%s\" (%s)",
				   what, k->name, v, err);
		if (!(*(const char **)field = config_strdup(ctx->cfg, v)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		return 0;
	}
	case T_HEADER:
		if (fm__config_header(v) < 0)
			return BAD("expected Name: value (a header name, a colon, a value), got \"%s\"",
				   what, k->name, v);
		if ((error = config_list_add(ctx->cfg, (const char ***)(void *)field,
					     (size_t *)(void *)((char *)ctx->base + k->aux), v, strlen(v))) < 0)
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		return 0;
	case T_NAMES: {
		const char ***list = (const char ***)(void *)field;
		size_t *count = (size_t *)(void *)((char *)ctx->base + k->aux), n, i;
		const char *all = v;
		char name[65];
		while (*v) {
			n = strcspn(v, " \t,");
			if (n == 0 || n > 64)
				goto names_bad;
			memcpy(name, v, n);
			name[n] = '\0';
			if (!config_name_ok(name))
				goto names_bad;
			for (i = 0; i < *count && strcmp((*list)[i], name); i++)
				;
			if (i == *count && config_list_add(ctx->cfg, list, count, name, n) < 0)
				return config_fail(ctx, FM_ENOMEM, "out of memory");
			v += n;
			v += strspn(v, " \t,");
		}
		if (*count)
			return 0;
names_bad:
		return BAD("expected names of letters, digits, '.', '_' and '-' separated by spaces, got \"%s\"",
			   what, k->name, all);
	}
	case T_LANG: {
		/* RFC 5646's shape, loosely: a primary subtag of letters, then -subtags. */
		size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), part;
		const char *p = v + n;
		int ok = n >= 2 && n <= 8;
		while (ok && *p == '-') {
			part = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
			ok = part >= 1 && part <= 8;
			p += 1 + part;
		}
		if (!ok || *p)
			return BAD("expected a language tag like en, fr or pt-BR, got \"%s\"", what, k->name, v);
		if (!(*(const char **)field = config_strdup(ctx->cfg, v)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		return 0;
	}
	case T_WEBURL:
		if (config_has_space(v) || (strncasecmp(v, "http://", 7) && strncasecmp(v, "https://", 8)) ||
		    !v[strncasecmp(v, "http://", 7) ? 8 : 7])
			return BAD("expected an http:// or https:// URL, got \"%s\"", what, k->name, v);
		if (!(*(const char **)field = config_strdup(ctx->cfg, v)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		return 0;
	case T_SECRET: {
		fm_config_feed *f = ctx->base;
		char *secret;
		if (!*v)
			return BAD("expected a file holding the password, got nothing", what, k->name);
		if (!(f->password_file = config_join(ctx, v)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		if ((error = fm__config_read_secret(&secret, f->password_file, err, sizeof(err))) == FM_ENOMEM)
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		if (error < 0)
			return BAD("cannot read the password from %s: %s", what, k->name, f->password_file, err);
		if (!(f->password = config_keep(ctx->cfg, secret)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		return 0;
	}
	case T_PROXY: {
		static const char *const schemes[] = {
			"http://", "https://", "socks4://", "socks4a://", "socks5://", "socks5h://"
		};
		size_t i;
		if (!strcmp(v, "none")) {
			/* No proxy at all, not even the environment's: libcurl's "". */
			*(const char **)field = config_strdup(ctx->cfg, "");
			return *(const char **)field ? 0 : config_fail(ctx, FM_ENOMEM, "out of memory");
		}
		for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			if (!strncasecmp(v, schemes[i], strlen(schemes[i])) && v[strlen(schemes[i])] &&
			    !config_has_space(v))
				break;
		if (i == sizeof(schemes) / sizeof(schemes[0]))
			return BAD("expected none or a proxy URL like http://proxy.example:3128 "
				   "(http, https, socks4, socks4a, socks5, socks5h), got \"%s\"", what, k->name, v);
		if (!(*(const char **)field = config_strdup(ctx->cfg, v)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		return 0;
	}
	case T_CHARSET: {
		iconv_t cd = iconv_open("UTF-8", v);
		if (!*v || cd == (iconv_t)-1)
			return BAD("expected a character set iconv knows, like windows-1252, got \"%s\"",
				   what, k->name, v);
		iconv_close(cd);
		if (!(*(const char **)field = config_strdup(ctx->cfg, v)))
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		return 0;
	}
	}
#undef BAD
	return config_fail(ctx, FM_EINVAL, "[%s] %s: unhandled type", what, k->name);
}

/* inih's handler: one key = value of the current section. Returns 1 to go on, 0 on an error. */
static int
config_handler(void *user, const char *section, const char *name, const char *value)
{
	config_ctx *ctx = user;
	const char *names[CONFIG_MAXKEYS];
	const config_key *keys;
	const char *hint;
	size_t i;

	(void)section; /* config_reader tracks sections, including empty ones */
	if (ctx->error)
		return 0;
	if (!ctx->kind) {
		config_fail(ctx, FM_EINVAL, "%s: key outside any section: expected [feedmerge], [dedup], "
			    "[output NAME] or [feed NAME] above it", name);
		return 0;
	}
	if (!*name) {
		config_fail(ctx, FM_EINVAL, "[%s]: expected KEY = VALUE, got no key", ctx->section);
		return 0;
	}
	keys = ctx->kind->keys;
	for (i = 0; keys[i].name; i++) {
		names[i] = keys[i].name;
		if (strcmp(keys[i].name, name))
			continue;
		if (ctx->keyline[i] && keys[i].type != T_HEADER) {
			config_fail(ctx, FM_EINVAL, "[%s] %s: given twice (first at line %lu)",
				    ctx->section, name, ctx->keyline[i]);
			return 0;
		}
		ctx->keyline[i] = ctx->lineno;
		return config_set(ctx, &keys[i], value) == 0;
	}
	if ((hint = config_suggest(name, names, i)))
		config_fail(ctx, FM_EINVAL, "[%s] %s: unknown key (did you mean %s?)", ctx->section, name, hint);
	else
		config_fail(ctx, FM_EINVAL, "[%s] %s: unknown key", ctx->section, name);
	return 0;
}

/* Returns 1 when lists a and b (na, nb names) hold the same names in the same order. */
static int
config_same_names(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

/* Returns 1 when a and b are both NULL or equal strings. */
static int
config_same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/*
 * Sets o's alternates: the other outputs with a url, a feed format (not
 * html) and the same selection (groups, feeds, include, exclude), in file
 * order. Call once every output is read (the array no longer moves).
 * Returns 0 or FM_ENOMEM.
 */
static int
config_alternates(fm_config *cfg, fm_config_output *o)
{
	const fm_config_output **v;
	size_t i, n = 0;

	if (!(v = malloc((cfg->noutputs + 1) * sizeof(*v))) || !config_keep(cfg, (char *)v))
		return FM_ENOMEM;
	for (i = 0; i < cfg->noutputs; i++) {
		const fm_config_output *p = &cfg->outputs[i];
		if (p == o || !p->url || p->format == FM_OUTPUT_HTML ||
		    !config_same_names(p->groups, p->ngroups, o->groups, o->ngroups) ||
		    !config_same_names(p->feeds, p->nfeeds, o->feeds, o->nfeeds) ||
		    !config_same_str(p->include, o->include) || !config_same_str(p->exclude, o->exclude))
			continue;
		v[n++] = p;
	}
	v[n] = NULL;
	o->alternates = v;
	o->nalternates = n;
	return 0;
}

/* Fills what is inherited or derived once the whole file is read. Returns 0 or an error. */
static int
config_finish(config_ctx *ctx)
{
	fm_config *cfg = ctx->cfg;
	size_t i, j;

	if (!cfg->main.state && !(cfg->main.state = config_join(ctx, FM_CONFIG_STATE)))
		return config_fail(ctx, FM_ENOMEM, "out of memory");
	if (!cfg->main.user_agent && !(cfg->main.user_agent = config_strdup(cfg, CONFIG_USER_AGENT)))
		return config_fail(ctx, FM_ENOMEM, "out of memory");
	for (i = 0; i < cfg->nfeeds; i++) {
		fm_config_feed *f = &cfg->feeds[i];
		/* interval_auto: 1 auto, -1 a duration of its own, 0 unset (inherit). */
		if (f->interval_auto == 0)
			f->interval_auto = cfg->main.interval_auto;
		else if (f->interval_auto < 0)
			f->interval_auto = 0;
		if (!f->interval)
			f->interval = cfg->main.interval;
		if (!f->max_interval)
			f->max_interval = cfg->main.max_interval;
		if (!cfg->feeds[i].user_agent)
			cfg->feeds[i].user_agent = cfg->main.user_agent;
		if (!cfg->feeds[i].proxy)
			cfg->feeds[i].proxy = cfg->main.proxy;
		if (!cfg->feeds[i].ca_file)
			cfg->feeds[i].ca_file = cfg->main.ca_file;
	}
	for (i = 0; i < cfg->noutputs; i++) {
		fm_config_output *o = &cfg->outputs[i];
		if (!o->title)
			o->title = o->name;
		for (j = 0; j < o->nfeeds; j++)
			if (!fm_config_feed_find(cfg, o->feeds[j])) {
				ctx->lineno = o->line;
				return config_fail(ctx, FM_EINVAL, "[output %s] feeds: no [feed %s] in the file",
						   o->name, o->feeds[j]);
			}
		if (config_alternates(cfg, o) < 0)
			return config_fail(ctx, FM_ENOMEM, "out of memory");
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->outputs[j].path, o->path)) {
				ctx->lineno = o->line;
				return config_fail(ctx, FM_EINVAL, "[output %s] path: the same file as [output %s] (line %lu)",
						   o->name, cfg->outputs[j].name, cfg->outputs[j].line);
			}
	}
	return 0;
}

const char *
fm_config_default_path(const char *cli_path)
{
	const char *env;

	if (cli_path && *cli_path)
		return cli_path;
	if ((env = getenv("FEEDMERGE_CONFIG")) && *env)
		return env;
	return "./feedmerge.ini";
}

/* Returns a new fm_config holding the defaults, or NULL when out of memory. */
static fm_config *
config_new(const char *path)
{
	fm_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	if (!(cfg->path = strdup(path))) {
		free(cfg);
		return NULL;
	}
	cfg->main.interval = FM_CONFIG_INTERVAL;
	cfg->main.max_interval = FM_CONFIG_MAX_INTERVAL;
	cfg->main.timeout = FM_CONFIG_TIMEOUT;
	cfg->main.concurrency = FM_CONFIG_CONCURRENCY;
	cfg->main.per_host = FM_CONFIG_PER_HOST;
	cfg->main.max_feed_size = FM_CONFIG_MAX_FEED_SIZE;
	cfg->main.keep = FM_CONFIG_KEEP;
	cfg->main.lock_wait = FM_CONFIG_LOCK_WAIT;
	cfg->dedup.threshold = FM_CONFIG_THRESHOLD;
	cfg->dedup.window = FM_CONFIG_WINDOW;
	return cfg;
}

int
fm_config_load(fm_config **out, const char *path, fm_diag *diag)
{
	config_ctx ctx;
	char *abs = NULL, *slash;
	int error = 0, rc;

	assert(out && path);
	*out = NULL;
	memset(&ctx, 0, sizeof(ctx));
	ctx.path = path;
	ctx.diag = diag;
	if (!(ctx.f = fopen(path, "r")) || !(abs = realpath(path, NULL))) {
		fm_diag_set(diag, 0, 0, "%s: cannot read: %s", path, strerror(errno));
		error = FM_EIO;
		goto out;
	}
	if ((slash = strrchr(abs, '/')))
		*(slash == abs ? slash + 1 : slash) = '\0';
	ctx.dir = abs;
	if (!(ctx.cfg = config_new(path))) {
		error = config_fail(&ctx, FM_ENOMEM, "out of memory");
		goto out;
	}
	rc = ini_parse_stream(config_reader, &ctx, config_handler, &ctx);
	if (!ctx.error && ferror(ctx.f))
		config_fail(&ctx, FM_EIO, "cannot read: %s", strerror(errno));
	if (ctx.error && rc > 0 && (unsigned long)rc < ctx.lineno) {
		/* a syntax error inih skipped over came first */
		ctx.error = 0;
	}
	if (!ctx.error && rc > 0) {
		ctx.lineno = (unsigned long)rc;
		config_fail(&ctx, FM_EINVAL, "expected KEY = VALUE, [SECTION] or a comment");
	} else if (!ctx.error && rc < 0) {
		config_fail(&ctx, rc == -2 ? FM_ENOMEM : FM_EIO, "cannot read");
	}
	if (!ctx.error)
		config_section_end(&ctx);
	if (!ctx.error)
		config_finish(&ctx);
	error = ctx.error;
	if (!error) {
		*out = ctx.cfg;
		ctx.cfg = NULL;
	}
out:
	if (ctx.f)
		fclose(ctx.f);
	free(ctx.line);
	free(abs);
	fm_config_free(ctx.cfg);
	return error;
}

void
fm_config_free(fm_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->nstrs; i++)
		free(cfg->strs[i]);
	for (i = 0; i < cfg->nres; i++) {
		regfree(cfg->res[i]);
		free(cfg->res[i]);
	}
	free(cfg->strs);
	free(cfg->res);
	free(cfg->outputs);
	free(cfg->feeds);
	fm__strindex_dispose(&cfg->feed_names);
	free(cfg->path);
	free(cfg);
}

const char *
fm_config_path(const fm_config *cfg)
{
	return cfg->path;
}

const fm_config_main *
fm_config_get_main(const fm_config *cfg)
{
	return &cfg->main;
}

const fm_config_dedup *
fm_config_get_dedup(const fm_config *cfg)
{
	return &cfg->dedup;
}

size_t
fm_config_output_count(const fm_config *cfg)
{
	return cfg->noutputs;
}

const fm_config_output *
fm_config_output_at(const fm_config *cfg, size_t i)
{
	assert(i < cfg->noutputs);
	return &cfg->outputs[i];
}

size_t
fm_config_feed_count(const fm_config *cfg)
{
	return cfg->nfeeds;
}

const fm_config_feed *
fm_config_feed_at(const fm_config *cfg, size_t i)
{
	assert(i < cfg->nfeeds);
	return &cfg->feeds[i];
}

const fm_config_feed *
fm_config_feed_find(const fm_config *cfg, const char *name)
{
	size_t i;

	i = fm__strindex_find(&cfg->feed_names, name, config_feed_name, cfg);
	return i == SIZE_MAX ? NULL : &cfg->feeds[i];
}

/* Returns 1 when re matches title or text. */
static int
config_matches(const regex_t *re, const char *title, const char *text)
{
	return (title && regexec(re, title, 0, NULL, 0) == 0) ||
	       (text && regexec(re, text, 0, NULL, 0) == 0);
}

int
fm_config_output_selects(const fm_config_output *o, const fm_config_feed *f)
{
	size_t i, j;

	if (!o->ngroups && !o->nfeeds)
		return 1;
	for (i = 0; i < o->nfeeds; i++)
		if (!strcmp(o->feeds[i], f->name))
			return 1;
	for (i = 0; i < o->ngroups; i++)
		for (j = 0; j < f->ngroups; j++)
			if (!strcmp(o->groups[i], f->groups[j]))
				return 1;
	return 0;
}

int
fm_config_output_wants(const fm_config_output *o, const char *title, const char *text)
{
	if (o->include_re && !config_matches(o->include_re, title, text))
		return 0;
	if (o->exclude_re && config_matches(o->exclude_re, title, text))
		return 0;
	return 1;
}

int
fm_config_group_used(const fm_config *cfg, const char *name)
{
	size_t i, j;

	for (i = 0; i < cfg->nfeeds; i++)
		for (j = 0; j < cfg->feeds[i].ngroups; j++)
			if (!strcmp(cfg->feeds[i].groups[j], name))
				return 1;
	return 0;
}

int
fm_config_feed_wants(const fm_config_feed *feed, const char *title, const char *text)
{
	if (feed->include_re && !config_matches(feed->include_re, title, text))
		return 0;
	if (feed->exclude_re && config_matches(feed->exclude_re, title, text))
		return 0;
	return 1;
}

const char *
fm_config_format_name(fm_config_format format)
{
	switch (format) {
	case FM_OUTPUT_RSS: return "rss";
	case FM_OUTPUT_JSON: return "json";
	case FM_OUTPUT_HTML: return "html";
	default: return "atom";
	}
}

const char *
fm_config_identity_name(fm_config_identity identity)
{
	switch (identity) {
	case FM_IDENTITY_LINK: return "link";
	case FM_IDENTITY_TITLE_DATE: return "title+date";
	default: return "guid";
	}
}
