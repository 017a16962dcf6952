/* cmd_parse.c - `feedmerge parse`: parse feed files and print what they hold. */
#include "cli/cli.h"
#include "feedmerge/buf.h"
#include "feedmerge/date.h"
#include "feedmerge/parse.h"
#include "util/jsonw.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Items' JSON is spooled until the feed's metadata is known; past this it goes to a temporary file. */
#define PARSE_SPOOL_MEM ((size_t)1 << 20)

enum { OUT_TEXT, OUT_JSON, OUT_SUMMARY };

/* What one run of the command prints with. */
typedef struct parse_ctx {
	int out;
	size_t nitem;
	fm_buf spool;      /* items' JSON not yet written to spill */
	FILE *spill;       /* a temporary file holding the rest, or NULL */
	int failed;        /* out of memory or a write error */
	fm_buf feed;       /* the feed's JSON fields or text, once known */
} parse_ctx;

void
cli_parse_help(void)
{
	printf("usage: feedmerge parse [--json] [--url URL] [--content-type TYPE]\n"
	       "                       [--content-location URL] [--content-language LANG]\n"
	       "                       [--encoding CHARSET]\n"
	       "                       [--max-bytes N] [--max-items N] [--max-field N]\n"
	       "                       [--max-depth N] FILE|-\n"
	       "       feedmerge parse --summary FILE...\n"
	       "\n"
	       "Parse an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed document and print\n"
	       "the feed and its items. Broken XML is repaired where it can be; every item\n"
	       "read before the damage is kept.\n"
	       "\n"
	       "  --json                  print one JSON object (format, bozo, encoding,\n"
	       "                          feed fields, error, items)\n"
	       "  --summary               one tab-separated line per file: path, format,\n"
	       "                          items, bytes, and ok / recovered: MSG / error: MSG\n"
	       "  --url URL               where the document came from (base for links)\n"
	       "  --content-type TYPE     the HTTP Content-Type it came with (its charset)\n"
	       "  --content-location URL  the HTTP Content-Location (overrides --url as base)\n"
	       "  --content-language LANG the HTTP Content-Language (language without xml:lang)\n"
	       "  --encoding CHARSET      decode as CHARSET whatever the document says\n"
	       "  --max-bytes N           stop after N bytes of input (default %zu)\n"
	       "  --max-items N           stop after N items (default %zu)\n"
	       "  --max-field N           longest field in bytes (default %zu)\n"
	       "  --max-depth N           deepest element nesting (default %zu)\n"
	       "\n"
	       "An option given an empty value counts as not given.\n"
	       "Exit status: 0 parsed, 1 parsed with recovery or cut at a limit,\n"
	       "2 not a feed, unreadable, or a usage error.\n",
	       FM_PARSE_MAX_BYTES, FM_PARSE_MAX_ITEMS, FM_PARSE_MAX_FIELD, FM_PARSE_MAX_DEPTH);
}

/* Appends "key": value for a date (null when unknown). */
static void
parse_json_date(fm_buf *b, const char *key, fm_time t)
{
	char d[FM_DATE_BUFSZ];

	fm_buf_printf(b, ", \"%s\": ", key);
	if (t) {
		fm_buf_putc(b, '"');
		fm_buf_puts(b, fm_date_format(d, t));
		fm_buf_putc(b, '"');
	} else {
		fm_buf_puts(b, "null");
	}
}

/* Appends "key": "string" or null. */
static void
parse_json_field(fm_buf *b, const char *key, const char *value, int first)
{
	fm_buf_printf(b, "%s\"%s\": ", first ? "" : ", ", key);
	fm__json_str(b, value);
}

/*
 * Appends "key": the text an HTML field holds when the feed wrote it as
 * plain text: the parser escaped it (&, <, >, "), this undoes that.
 */
static void
parse_json_unescaped(fm_buf *b, const char *key, const char *html)
{
	static const struct { const char *ref; char c; } refs[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' },
	};
	fm_buf text = FM_BUF_INIT;
	size_t i, k;

	for (i = 0; html[i]; i++) {
		for (k = 0; html[i] == '&' && k < sizeof(refs) / sizeof(refs[0]); k++)
			if (!strncmp(html + i, refs[k].ref, strlen(refs[k].ref)))
				break;
		if (html[i] == '&' && k < sizeof(refs) / sizeof(refs[0])) {
			fm_buf_putc(&text, refs[k].c);
			i += strlen(refs[k].ref) - 1;
		} else {
			fm_buf_putc(&text, html[i]);
		}
	}
	parse_json_field(b, key, fm_buf_cstr(&text), 0);
	fm_buf_dispose(&text);
}

/* Appends "key": value and "key_detail": {"type", "base", "language"} for a text value. */
static void
parse_json_text(fm_buf *b, const char *key, const fm_text *t)
{
	const char *value = t->value;
	fm_text_type type = t->type;

	if (value && type == FM_TEXT_PLAIN && (!strcmp(key, "summary") || !strcmp(key, "content")))
		parse_json_unescaped(b, key, value);
	else
		parse_json_field(b, key, value, 0);
	if (!value)
		return;
	fm_buf_printf(b, ", \"%s_detail\": {\"type\": \"%s\", ", key, fm_text_type_name(type));
	parse_json_field(b, "base", t->base, 1);
	parse_json_field(b, "language", t->language, 0);
	fm_buf_putc(b, '}');
}

/* Appends "author": {...}. */
static void
parse_json_person(fm_buf *b, const fm_person *p)
{
	fm_buf_puts(b, ", \"author\": {");
	parse_json_field(b, "name", p->name, 1);
	parse_json_field(b, "email", p->email, 0);
	parse_json_field(b, "uri", p->uri, 0);
	fm_buf_putc(b, '}');
}

/* Appends ", "key": [{"name", "email", "uri"}...]". */
static void
parse_json_people(fm_buf *b, const char *key, const fm_person *p, size_t n)
{
	size_t i;

	fm_buf_printf(b, ", \"%s\": [", key);
	for (i = 0; i < n; i++) {
		fm_buf_puts(b, i ? ", {" : "{");
		parse_json_field(b, "name", p[i].name, 1);
		parse_json_field(b, "email", p[i].email, 0);
		parse_json_field(b, "uri", p[i].uri, 0);
		fm_buf_putc(b, '}');
	}
	fm_buf_putc(b, ']');
}

/* Appends the lists feeds and items share: tags, authors, contributors, links. */
static void
parse_json_lists(fm_buf *b, const fm_category *tags, size_t ntags, const fm_person *authors,
		 size_t nauthors, const fm_person *contributors, size_t ncontributors,
		 const fm_link *links, size_t nlinks)
{
	size_t i;

	fm_buf_puts(b, ", \"tags\": [");
	for (i = 0; i < ntags; i++) {
		fm_buf_puts(b, i ? ", {" : "{");
		parse_json_field(b, "term", tags[i].term, 1);
		parse_json_field(b, "scheme", tags[i].scheme, 0);
		parse_json_field(b, "label", tags[i].label, 0);
		fm_buf_putc(b, '}');
	}
	fm_buf_putc(b, ']');
	parse_json_people(b, "authors", authors, nauthors);
	parse_json_people(b, "contributors", contributors, ncontributors);
	fm_buf_puts(b, ", \"links\": [");
	for (i = 0; i < nlinks; i++) {
		fm_buf_puts(b, i ? ", {" : "{");
		parse_json_field(b, "href", links[i].href, 1);
		parse_json_field(b, "rel", links[i].rel, 0);
		parse_json_field(b, "type", links[i].type, 0);
		parse_json_field(b, "title", links[i].title, 0);
		parse_json_field(b, "length", links[i].length, 0);
		fm_buf_putc(b, '}');
	}
	fm_buf_putc(b, ']');
}

/* Moves the spool to the spill file; returns 0 or -1. */
static int
parse_spill(parse_ctx *c)
{
	if (!c->spill && !(c->spill = tmpfile()))
		return -1;
	if (c->spool.size && fwrite(c->spool.ptr, 1, c->spool.size, c->spill) != c->spool.size)
		return -1;
	fm_buf_clear(&c->spool);
	return 0;
}

/* Appends one item's JSON to the spool. */
static void
parse_item_json(parse_ctx *c, const fm_item *it)
{
	fm_buf *b = &c->spool;
	size_t i;

	fm_buf_puts(b, c->nitem ? ",\n  {" : "\n  {");
	parse_json_field(b, "id", it->id, 1);
	parse_json_text(b, "title", &it->title_detail);
	parse_json_field(b, "link", it->link, 0);
	if (it->subtitle_detail.value) /* rare: printed only when there is one */
		parse_json_text(b, "subtitle", &it->subtitle_detail);
	parse_json_date(b, "published", it->published);
	parse_json_date(b, "updated", it->updated);
	parse_json_field(b, "published_text", it->published_text, 0);
	parse_json_field(b, "updated_text", it->updated_text, 0);
	parse_json_field(b, "language", it->language, 0);
	parse_json_person(b, &it->author);
	parse_json_text(b, "summary", &it->summary_detail);
	parse_json_text(b, "content", &it->content_detail);
	fm_buf_puts(b, ", \"categories\": [");
	for (i = 0; i < it->ncategories; i++) {
		if (i)
			fm_buf_puts(b, ", ");
		fm__json_str(b, it->categories[i]);
	}
	fm_buf_puts(b, "], \"enclosures\": [");
	for (i = 0; i < it->nenclosures; i++) {
		fm_buf_puts(b, i ? ", {" : "{");
		parse_json_field(b, "url", it->enclosures[i].url, 1);
		parse_json_field(b, "type", it->enclosures[i].type, 0);
		parse_json_field(b, "length", it->enclosures[i].length, 0);
		fm_buf_putc(b, '}');
	}
	fm_buf_putc(b, ']');
	parse_json_lists(b, it->tags, it->ncategories, it->authors, it->nauthors, it->contributors,
			 it->ncontributors, it->links, it->nlinks);
	fm_buf_putc(b, '}');
	if (c->spool.size > PARSE_SPOOL_MEM && parse_spill(c) < 0)
		c->failed = 1;
}

/* Appends "  author:    Name <email>" to b when the person has a name or an email. */
static void
parse_person_text(fm_buf *b, const fm_person *p)
{
	if (!p->name && !p->email)
		return;
	fm_buf_printf(b, "  author:    %s%s%s%s\n", p->name ? p->name : "", p->email ? " <" : "",
		      p->email ? p->email : "", p->email ? ">" : "");
}

/* Prints one item as text. */
static void
parse_item_text(const fm_item *it, size_t n)
{
	char d[FM_DATE_BUFSZ];
	size_t i;

	printf("item %zu: %s\n", n, it->title ? it->title : "(no title)");
	if (it->id)
		printf("  id:        %s\n", it->id);
	if (it->link)
		printf("  link:      %s\n", it->link);
	if (it->published)
		printf("  published: %s\n", fm_date_format(d, it->published));
	if (it->updated)
		printf("  updated:   %s\n", fm_date_format(d, it->updated));
	if (it->author.name || it->author.email) {
		fm_buf line = FM_BUF_INIT;
		parse_person_text(&line, &it->author);
		fputs(fm_buf_cstr(&line), stdout);
		fm_buf_dispose(&line);
	}
	for (i = 0; i < it->ncategories; i++)
		printf("  category:  %s\n", it->categories[i]);
	for (i = 0; i < it->nenclosures; i++)
		printf("  enclosure: %s (%s, %s bytes)\n", it->enclosures[i].url,
		       it->enclosures[i].type ? it->enclosures[i].type : "?",
		       it->enclosures[i].length ? it->enclosures[i].length : "?");
	if (it->summary)
		printf("  summary:   %.160s%s\n", it->summary, strlen(it->summary) > 160 ? "..." : "");
	if (it->content)
		printf("  content:   %zu bytes of HTML\n", strlen(it->content));
}

/* The parser's item callback. */
static int
parse_on_item(const fm_item *it, void *payload)
{
	parse_ctx *c = payload;

	if (c->out == OUT_JSON)
		parse_item_json(c, it);
	else if (c->out == OUT_TEXT)
		parse_item_text(it, c->nitem + 1);
	c->nitem++;
	return c->failed;
}

/* The parser's feed callback: keeps the feed's fields for the end. */
static int
parse_on_feed(const fm_feed *f, void *payload)
{
	parse_ctx *c = payload;
	fm_buf *b = &c->feed;
	char d[FM_DATE_BUFSZ];

	if (c->out == OUT_JSON) {
		parse_json_text(b, "title", &f->title_detail);
		parse_json_field(b, "link", f->link, 0);
		parse_json_text(b, "subtitle", &f->subtitle_detail);
		parse_json_field(b, "id", f->id, 0);
		parse_json_date(b, "updated", f->updated);
		parse_json_date(b, "published", f->published);
		parse_json_field(b, "updated_text", f->updated_text, 0);
		parse_json_field(b, "published_text", f->published_text, 0);
		parse_json_field(b, "language", f->language, 0);
		parse_json_person(b, &f->author);
		parse_json_field(b, "generator", f->generator, 0);
		fm_buf_puts(b, ", \"generator_detail\": {");
		parse_json_field(b, "name", f->generator, 1);
		parse_json_field(b, "uri", f->generator_uri, 0);
		parse_json_field(b, "version", f->generator_version, 0);
		fm_buf_putc(b, '}');
		parse_json_lists(b, f->tags, f->ntags, f->authors, f->nauthors, f->contributors,
				 f->ncontributors, f->links, f->nlinks);
	} else if (c->out == OUT_TEXT) {
		fm_buf_printf(b, "feed: %s\n", f->title ? f->title : "(no title)");
		if (f->link)
			fm_buf_printf(b, "  link:      %s\n", f->link);
		if (f->subtitle)
			fm_buf_printf(b, "  subtitle:  %s\n", f->subtitle);
		if (f->id)
			fm_buf_printf(b, "  id:        %s\n", f->id);
		if (f->updated)
			fm_buf_printf(b, "  updated:   %s\n", fm_date_format(d, f->updated));
		if (f->published)
			fm_buf_printf(b, "  published: %s\n", fm_date_format(d, f->published));
		parse_person_text(b, &f->author);
	}
	return 0;
}

/* Returns the exit status a parse result deserves. */
static int
parse_exit(const fm_parse_result *r)
{
	if (r->status == FM_ELIMIT)
		return CLI_PARTIAL;
	if (r->status < 0)
		return CLI_USAGE;
	return r->bozo ? CLI_PARTIAL : CLI_OK;
}

/* Copies the spill file, then the spool, to stdout. */
static void
parse_flush_items(parse_ctx *c)
{
	char buf[65536];
	size_t n;

	if (c->spill) {
		rewind(c->spill);
		while ((n = fread(buf, 1, sizeof(buf), c->spill)) > 0)
			fwrite(buf, 1, n, stdout);
	}
	fwrite(fm_buf_cstr(&c->spool), 1, c->spool.size, stdout);
}

/* Prints the JSON object for one parse; message, when set, overrides the result's error. */
static void
parse_print_json(parse_ctx *c, const fm_parse_result *r, const char *message)
{
	fm_buf head = FM_BUF_INIT;
	const char *err = message;

	if (!err && (r->status < 0 || r->bozo))
		err = r->diag.msg[0] ? r->diag.msg : fm_strerror(r->status);
	fm_buf_puts(&head, "{\"format\": ");
	fm__json_str(&head, fm_format_name(r->format));
	fm_buf_printf(&head, ", \"bozo\": %s, \"encoding\": ", r->bozo ? "true" : "false");
	fm__json_str(&head, r->encoding[0] ? r->encoding : NULL);
	if (c->feed.size) {
		fm_buf_append(&head, c->feed.ptr, c->feed.size);
	} else {
		fm_buf_puts(&head, ", \"title\": null, \"link\": null, \"subtitle\": null, \"id\": null, "
			    "\"updated\": null, \"published\": null, \"updated_text\": null, "
			    "\"published_text\": null, \"language\": null, "
			    "\"author\": {\"name\": null, \"email\": null, \"uri\": null}, "
			    "\"generator\": null, \"generator_detail\": {\"name\": null, \"uri\": null, "
			    "\"version\": null}, \"tags\": [], \"authors\": [], \"contributors\": [], "
			    "\"links\": []");
	}
	fm_buf_puts(&head, ", \"error\": ");
	fm__json_str(&head, err);
	fm_buf_puts(&head, ", \"items\": [");
	fwrite(head.ptr, 1, head.size, stdout);
	parse_flush_items(c);
	fputs(c->nitem ? "\n]}\n" : "]}\n", stdout);
	fm_buf_dispose(&head);
}

/* Parses one file (or stdin for "-"); fills *res. Returns 0, or -1 when it cannot be read (errbuf says why). */
static int
parse_file(const char *path, const fm_parse_opts *opts, parse_ctx *c,
	   fm_parse_result *res, char *errbuf, size_t errlen)
{
	static char chunk[65536];
	fm_parser *p = NULL;
	FILE *f;
	size_t n;
	int rc = 0, error;

	if (!strcmp(path, "-"))
		f = stdin;
	else if (!(f = fopen(path, "rb"))) {
		snprintf(errbuf, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if ((error = fm_parser_new(&p, opts, parse_on_item, parse_on_feed, c)) < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, fm_strerror(error));
		rc = -1;
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (fm_parser_push(p, chunk, n) < 0)
			break;
	if (ferror(f)) {
		snprintf(errbuf, errlen, "cannot read %s: %s", path, strerror(errno));
		rc = -1;
		goto out;
	}
	fm_parser_finish(p);
	*res = *fm_parser_result(p);
out:
	fm_parser_free(p);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* Parses a size option; returns 0 or -1. An empty value leaves *out at 0 (the default). */
static int
parse_size_opt(const char *arg, size_t *out)
{
	char *end;
	unsigned long long v;

	if (!*arg)
		return 0;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || arg[0] == '-' || v == 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* Returns arg, or NULL when it is empty: an empty option counts as not given. */
static const char *
parse_opt_str(const char *arg)
{
	return arg && *arg ? arg : NULL;
}

int
cli_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "summary", no_argument, NULL, 's' },
		{ "url", required_argument, NULL, 'u' },
		{ "content-type", required_argument, NULL, 't' },
		{ "content-location", required_argument, NULL, 'l' },
		{ "content-language", required_argument, NULL, 'L' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "max-bytes", required_argument, NULL, 'B' },
		{ "max-items", required_argument, NULL, 'I' },
		{ "max-field", required_argument, NULL, 'F' },
		{ "max-depth", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	parse_ctx c;
	fm_parse_opts opts;
	fm_parse_result res;
	char errbuf[600];
	int ch, i, status = CLI_OK, st;
	size_t *lim;

	memset(&c, 0, sizeof(c));
	memset(&opts, 0, sizeof(opts));
	c.out = OUT_TEXT;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		lim = NULL;
		switch (ch) {
		case 'j': c.out = OUT_JSON; break;
		case 's': c.out = OUT_SUMMARY; break;
		case 'u': opts.url = parse_opt_str(optarg); break;
		case 't': opts.content_type = parse_opt_str(optarg); break;
		case 'l': opts.content_location = parse_opt_str(optarg); break;
		case 'L': opts.content_language = parse_opt_str(optarg); break;
		case 'e': opts.encoding = parse_opt_str(optarg); break;
		case 'B': lim = &opts.limits.max_bytes; break;
		case 'I': lim = &opts.limits.max_items; break;
		case 'F': lim = &opts.limits.max_field; break;
		case 'D': lim = &opts.limits.max_depth; break;
		case 'h': cli_parse_help(); return CLI_OK;
		default:
			fputs("see 'feedmerge help parse'\n", stderr);
			return CLI_USAGE;
		}
		if (lim && parse_size_opt(optarg, lim) < 0) {
			fprintf(stderr, "feedmerge parse: %s wants a positive number, not '%s'\n",
				argv[optind - 1], optarg);
			return CLI_USAGE;
		}
	}
	if (optind >= argc || (c.out != OUT_SUMMARY && optind + 1 != argc)) {
		fputs("feedmerge parse: give one FILE (or - for standard input); "
		      "see 'feedmerge help parse'\n", stderr);
		return CLI_USAGE;
	}
	for (i = optind; i < argc; i++) {
		memset(&res, 0, sizeof(res));
		c.nitem = 0;
		fm_buf_clear(&c.feed);
		if (parse_file(argv[i], &opts, &c, &res, errbuf, sizeof(errbuf)) < 0) {
			st = CLI_USAGE;
			if (c.out == OUT_SUMMARY)
				printf("%s\t\t0\t0\terror: %s\n", argv[i], errbuf);
			else if (c.out == OUT_JSON)
				parse_print_json(&c, &res, errbuf);
			fprintf(stderr, "feedmerge parse: %s\n", errbuf);
		} else {
			st = parse_exit(&res);
			if (c.out == OUT_SUMMARY) {
				printf("%s\t%s\t%zu\t%zu\t", argv[i], fm_format_name(res.format),
				       res.items, res.bytes);
				if (res.status < 0)
					printf("error: %s\n", res.diag.msg[0] ? res.diag.msg : fm_strerror(res.status));
				else if (res.bozo)
					printf("recovered: %s\n", res.diag.msg);
				else
					printf("ok\n");
			} else if (c.out == OUT_JSON) {
				parse_print_json(&c, &res, c.failed ? "out of memory or disk space" : NULL);
			} else {
				fputs(fm_buf_cstr(&c.feed), stdout);
				printf("format: %s, encoding: %s, %zu items, %zu bytes\n",
				       res.format ? fm_format_name(res.format) : "(none)",
				       res.encoding[0] ? res.encoding : "?", res.items, res.bytes);
			}
			if (c.out != OUT_SUMMARY && (res.status < 0 || res.bozo))
				fprintf(stderr, "feedmerge parse: %s: %s%s\n", argv[i],
					res.status < 0 ? "" : "recovered: ",
					res.diag.msg[0] ? res.diag.msg : fm_strerror(res.status));
			if (c.out != OUT_SUMMARY && res.warnings)
				fprintf(stderr, "feedmerge parse: %s: warning: line %lu: %s (%zu warnings)\n",
					argv[i], res.warning.line, res.warning.msg, res.warnings);
		}
		if (st > status)
			status = st;
		if (c.spill) {
			fclose(c.spill);
			c.spill = NULL;
		}
		fm_buf_clear(&c.spool);
	}
	fm_buf_dispose(&c.spool);
	fm_buf_dispose(&c.feed);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "feedmerge parse: cannot write output: %s\n", strerror(errno));
		return CLI_USAGE;
	}
	return status;
}
