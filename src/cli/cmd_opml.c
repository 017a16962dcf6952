/* cmd_opml.c - `feedmerge import-opml` and `feedmerge export-opml`. */
#include "cli/cli.h"
#include "feedmerge/opml.h"
#include "feedmerge/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An OPML file larger than this is not a subscription list. */
#define OPML_MAX ((size_t)64 << 20)

void
cli_import_opml_help(void)
{
	printf("usage: feedmerge import-opml FILE|-\n"
	       "\n"
	       "Read an OPML subscription list (as feed readers export it: nested\n"
	       "folders, any charset) and print one [feed NAME] section per feed, to\n"
	       "paste into the config file. Names come from the feeds' titles (else\n"
	       "their host), made unique; each folder the feed sits in becomes one of\n"
	       "its groups (groups = ...); the title, site and folder follow as comments.\n"
	       "Feeds listed twice, and URLs that are not http, https or file, are\n"
	       "skipped with a comment.\n"
	       "\n"
	       "Exit status: 0, 2 usage error or a file that is not OPML.\n");
}

void
cli_export_opml_help(void)
{
	printf("usage: feedmerge export-opml [-c FILE]\n"
	       "\n"
	       "Print the configured feeds as an OPML 2.0 subscription list (titles\n"
	       "from the state when feeds were fetched, else their names).\n"
	       "\n"
	       "  -c, --config FILE  the config file (default: $FEEDMERGE_CONFIG,\n"
	       "                     else ./feedmerge.ini)\n"
	       "\n"
	       "Exit status: 0, 2 usage or config error.\n");
}

/* What import-opml has printed so far: names and URLs, to stay unique. */
struct imported {
	char **names, **urls;
	size_t n, a;
	size_t skipped;
};

/* Returns 1 when list (n entries) holds s. */
static int
has(char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

/* Prints a comment line, with newlines in text made spaces. */
static void
comment(const char *key, const char *text)
{
	const char *p;

	if (!text)
		return;
	printf("; %s: ", key);
	for (p = text; *p; p++)
		putchar(*p == '\n' || *p == '\r' ? ' ' : *p);
	putchar('\n');
}

/* Prints "groups = ..." made from an OPML folder path ("News / World": news world), if any. */
static void
import_groups(const char *category)
{
	char group[48], seen[512];
	const char *p = category, *sep;
	size_t len, used = 0;
	char part[256];

	if (!category || !*category)
		return;
	seen[0] = '\0';
	while (p && *p) {
		sep = strstr(p, " / ");
		len = sep ? (size_t)(sep - p) : strlen(p);
		snprintf(part, sizeof part, "%.*s", (int)(len < sizeof part ? len : sizeof part - 1), p);
		p = sep ? sep + 3 : NULL;
		fm_opml_name(group, sizeof group, part, "http://group/");
		/* Each folder once, however deep the nesting repeats it. */
		snprintf(part, sizeof part, " %s ", group);
		if (strstr(seen, part) || used + strlen(group) + 2 >= sizeof seen)
			continue;
		printf("%s%s", used ? " " : "groups = ", group);
		used += (size_t)snprintf(seen + used, sizeof seen - used, " %s ", group) - 1;
	}
	if (used)
		putchar('\n');
}

/* OPML callback: prints one [feed NAME] section. */
static int
import_feed(void *ud, const fm_opml_feed *f)
{
	struct imported *im = ud;
	char base[48], name[64];
	unsigned k;

	if (strncasecmp(f->url, "http://", 7) && strncasecmp(f->url, "https://", 8) &&
	    strncasecmp(f->url, "file:", 5)) {
		printf("; skipped (not http, https or file): %s\n\n", f->url);
		im->skipped++;
		return 0;
	}
	if (strpbrk(f->url, "\r\n") || has(im->urls, im->n, f->url)) {
		printf("; skipped (listed twice or unusable): %s\n\n", f->url);
		im->skipped++;
		return 0;
	}
	fm_opml_name(base, sizeof base, f->title, f->url);
	snprintf(name, sizeof name, "%s", base);
	for (k = 2; has(im->names, im->n, name); k++)
		snprintf(name, sizeof name, "%s-%u", base, k);
	if (im->n == im->a) {
		size_t a = im->a ? im->a * 2 : 64;
		char **n = realloc(im->names, a * sizeof *n), **u;

		if (!n)
			return FM_ENOMEM;
		im->names = n;
		if (!(u = realloc(im->urls, a * sizeof *u)))
			return FM_ENOMEM;
		im->urls = u;
		im->a = a;
	}
	if (!(im->names[im->n] = strdup(name)))
		return FM_ENOMEM;
	if (!(im->urls[im->n] = strdup(f->url))) {
		free(im->names[im->n]);
		return FM_ENOMEM;
	}
	im->n++;
	printf("[feed %s]\nurl = %s\n", name, f->url);
	import_groups(f->category);
	comment("title", f->title);
	comment("site", f->site);
	comment("folder", f->category);
	putchar('\n');
	return 0;
}

/* Reads all of path ("-": standard input) into *buf; returns 0 or -1 with a message printed. */
static int
read_all(const char *path, fm_buf *buf)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char chunk[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "feedmerge: %s: cannot open\n", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf->size + n > OPML_MAX || fm_buf_append(buf, chunk, n)) {
			fprintf(stderr, "feedmerge: %s: larger than %zu MB\n", path, OPML_MAX >> 20);
			if (f != stdin)
				fclose(f);
			return -1;
		}
	}
	if (f != stdin)
		fclose(f);
	return 0;
}

int
cli_import_opml(int argc, char **argv)
{
	struct imported im = { NULL, NULL, 0, 0, 0 };
	fm_buf data = FM_BUF_INIT;
	fm_diag diag = { 0, 0, "" };
	size_t i;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cli_import_opml_help();
		return CLI_OK;
	}
	if (argc != 2) {
		fputs("usage: feedmerge import-opml FILE|-; see 'feedmerge help import-opml'\n", stderr);
		return CLI_USAGE;
	}
	if (read_all(argv[1], &data)) {
		fm_buf_dispose(&data);
		return CLI_USAGE;
	}
	rc = fm_opml_read(data.ptr ? data.ptr : "", data.size, import_feed, &im, &diag);
	if (rc)
		fprintf(stderr, "feedmerge: %s: %s\n", argv[1], diag.msg[0] ? diag.msg : fm_strerror(rc));
	else
		fprintf(stderr, "feedmerge: %zu feed%s imported, %zu skipped\n", im.n, im.n == 1 ? "" : "s",
			im.skipped);
	for (i = 0; i < im.n; i++) {
		free(im.names[i]);
		free(im.urls[i]);
	}
	free(im.names);
	free(im.urls);
	fm_buf_dispose(&data);
	return rc ? CLI_USAGE : CLI_OK;
}

int
cli_export_opml(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	fm_config *cfg;
	fm_store *st = NULL;
	fm_feed_state *states;
	const char **titles;
	fm_buf out = FM_BUF_INIT;
	size_t i, n;
	int ch, status;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'h': cli_export_opml_help(); return CLI_OK;
		default:
			fputs("see 'feedmerge help export-opml'\n", stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "feedmerge export-opml: unexpected argument '%s'\n", argv[optind]);
		return CLI_USAGE;
	}
	if ((status = cli_config_load(path, &cfg)))
		return status;
	n = fm_config_feed_count(cfg);
	states = calloc(n + 1, sizeof *states);
	titles = calloc(n + 1, sizeof *titles);
	/* The feeds' own titles, when the state has them. */
	if (states && titles && !cli_state_open(cfg, &st, 1) && st)
		for (i = 0; i < n; i++)
			if (!fm_store_feed_get(st, fm_config_feed_at(cfg, i)->name, &states[i]))
				titles[i] = states[i].title;
	if (!states || !titles || fm_opml_write(&out, cfg, titles)) {
		fputs("feedmerge: out of memory\n", stderr);
		status = CLI_NOWRITE;
	} else {
		fputs(fm_buf_cstr(&out), stdout);
	}
	for (i = 0; states && i < n; i++)
		fm_feed_state_clear(&states[i]);
	free(states);
	free(titles);
	fm_store_close(st);
	fm_buf_dispose(&out);
	fm_config_free(cfg);
	return status;
}
