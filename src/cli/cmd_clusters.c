/* cmd_clusters.c - `feedmerge clusters`: which items were merged, and why. */
#include "cli/cli.h"
#include "config/units.h"
#include "feedmerge/date.h"
#include "feedmerge/dedup.h"
#include "feedmerge/simindex.h"
#include "feedmerge/store.h"
#include "util/jsonw.h"
#include "util/grow.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
cli_clusters_help(void)
{
	printf("usage: feedmerge clusters [-c FILE] [--since WHEN] [--all] [--json]\n"
	       "       feedmerge clusters [-c FILE] --explain ITEM ITEM\n"
	       "\n"
	       "List the clusters of the state, newest first: every member with its\n"
	       "feed, headline and link, and how far it lies from the representative\n"
	       "(lead SimHash distance, share of text in common). With --explain, say\n"
	       "whether two items were merged and which rule decided.\n"
	       "\n"
	       "  -c, --config FILE  the config file (default: $FEEDMERGE_CONFIG,\n"
	       "                     else ./feedmerge.ini)\n"
	       "      --since WHEN   only clusters updated since WHEN: a duration back\n"
	       "                     from now (2h, 3d) or a date (2026-11-20T00:00:00Z)\n"
	       "      --all          list single-item clusters too\n"
	       "      --json         one JSON object: {\"clusters\": [...]}\n"
	       "      --explain A B  A and B are item ids (guid, Atom id) or links,\n"
	       "                     optionally FEED:ID to pick one feed's item\n"
	       "\n"
	       "Exit status: 0, 2 usage or config error (or an unknown item), 3 the\n"
	       "state cannot be read.\n");
}

/* One member as listed. */
struct cl_member {
	int64_t row;
	char *feed, *id, *title, *link;
	fm_time when;
};

/* A cluster's members while they are listed. */
struct cl_list {
	const fm_config *cfg;
	fm_store *st;
	int json, all, first, rc;
	struct cl_member *m;
	size_t n, a;
};

/* Copies s, NULL staying NULL. */
static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Store callback: keeps one member. */
static int
cl_member_add(void *ud, const fm_store_item *it)
{
	struct cl_list *l = ud;
	struct cl_member *m;

	if (fm__grow(&l->m, &l->a, l->n, sizeof *l->m, 8))
		return FM_ENOMEM;
	m = &l->m[l->n++];
	m->row = it->rowid;
	m->feed = dup_or_null(it->item.feed);
	m->id = dup_or_null(it->item.id);
	m->title = dup_or_null(it->item.title);
	m->link = dup_or_null(it->item.link);
	m->when = it->item.published ? it->item.published : it->first_seen;
	return 0;
}

/* The priority of a feed in the config (0 when it is no longer there). */
static int
cl_priority(const fm_config *cfg, const char *feed)
{
	const fm_config_feed *f = fm_config_feed_find(cfg, feed);

	return f ? f->priority : 0;
}

/* Index of the representative among the members. */
static size_t
cl_representative(const struct cl_list *l)
{
	size_t best = 0, i;

	for (i = 1; i < l->n; i++)
		if (fm_dedup_prefer(cl_priority(l->cfg, l->m[i].feed), l->m[i].when,
				    cl_priority(l->cfg, l->m[best].feed), l->m[best].when) < 0)
			best = i;
	return best;
}

/* Fills distance and containment of member i against the representative; -1 when unknown. */
static void
cl_compare(struct cl_list *l, size_t rep, size_t i, int *dist, double *cont)
{
	fm_fingerprint a, b;
	int64_t cluster;

	*dist = -1;
	*cont = -1;
	if (fm_store_fingerprint(l->st, l->m[rep].row, &a, &cluster) ||
	    fm_store_fingerprint(l->st, l->m[i].row, &b, &cluster))
		return;
	*dist = fm_hamming(a.simhash, b.simhash);
	*cont = fm_fp_containment(&a, &b);
}

/* Prints one cluster as text. */
static void
cl_print_text(struct cl_list *l, const fm_store_cluster *c, size_t rep)
{
	char t[FM_DATE_BUFSZ];
	size_t i;

	printf("%s  updated %s  %zu member%s\n", c->id, fm_date_format(t, c->updated), l->n,
	       l->n == 1 ? "" : "s");
	for (i = 0; i < l->n; i++) {
		int dist;
		double cont;

		printf("  %c %-16s %s\n", i == rep ? '*' : '-', l->m[i].feed,
		       l->m[i].title ? l->m[i].title : "(no title)");
		printf("    %s  %s", l->m[i].link ? l->m[i].link : "(no link)",
		       fm_date_format(t, l->m[i].when));
		if (i == rep) {
			printf("  representative\n");
			continue;
		}
		cl_compare(l, rep, i, &dist, &cont);
		if (dist < 0)
			printf("  same link (not fingerprinted)\n");
		else
			printf("  distance %d, %.0f%% of text in common\n", dist, cont * 100);
	}
	printf("\n");
}

/* Prints one cluster as a JSON object. */
static void
cl_print_json(struct cl_list *l, const fm_store_cluster *c, size_t rep)
{
	char t[FM_DATE_BUFSZ];
	fm_buf b = FM_BUF_INIT;
	size_t i;

	fm_buf_puts(&b, l->first ? "\n  {\"id\": " : ",\n  {\"id\": ");
	fm__json_str(&b, c->id);
	fm_buf_printf(&b, ", \"updated\": \"%s\", \"members\": [", fm_date_format(t, c->updated));
	for (i = 0; i < l->n; i++) {
		int dist = -1;
		double cont = -1;

		if (i != rep)
			cl_compare(l, rep, i, &dist, &cont);
		fm_buf_puts(&b, i ? ", {\"feed\": " : "{\"feed\": ");
		fm__json_str(&b, l->m[i].feed);
		fm_buf_puts(&b, ", \"id\": ");
		fm__json_str(&b, l->m[i].id);
		fm_buf_puts(&b, ", \"title\": ");
		fm__json_str(&b, l->m[i].title);
		fm_buf_puts(&b, ", \"url\": ");
		fm__json_str(&b, l->m[i].link);
		fm_buf_printf(&b, ", \"date\": \"%s\", \"representative\": %s", fm_date_format(t, l->m[i].when),
			      i == rep ? "true" : "false");
		if (i == rep || dist < 0)
			fm_buf_puts(&b, ", \"distance\": null, \"containment\": null}");
		else
			fm_buf_printf(&b, ", \"distance\": %d, \"containment\": %.3f}", dist, cont);
	}
	fm_buf_puts(&b, "]}");
	fputs(fm_buf_cstr(&b), stdout);
	fm_buf_dispose(&b);
	l->first = 0;
}

/* Store callback: lists one cluster. */
static int
cl_cluster(void *ud, const fm_store_cluster *c)
{
	struct cl_list *l = ud;
	size_t i, rep;
	int rc;

	l->n = 0;
	rc = fm_store_cluster_members(l->st, c->rowid, cl_member_add, l);
	if (!rc && l->n && (l->all || l->n > 1)) {
		rep = cl_representative(l);
		if (l->json)
			cl_print_json(l, c, rep);
		else
			cl_print_text(l, c, rep);
	}
	for (i = 0; i < l->n; i++) {
		free(l->m[i].feed);
		free(l->m[i].id);
		free(l->m[i].title);
		free(l->m[i].link);
	}
	return rc;
}

/* Reads --since: a duration back from now, or a date. Returns 0 or -1. */
static int
cl_since(const char *arg, fm_time *since)
{
	int64_t secs;

	if (!fm__config_duration(&secs, arg)) {
		*since = (fm_time)time(NULL) - secs;
		return 0;
	}
	return fm_date_parse(since, arg) == 0 ? 0 : -1;
}

/* Finds ITEM ("FEED:ID", an id or a link) for --explain. */
static int
cl_find(fm_store *st, const char *arg, fm_store_found *f)
{
	const char *colon = strchr(arg, ':');

	if (!fm_store_item_lookup(st, NULL, arg, f))
		return 0;
	if (colon && colon > arg) {
		char feed[256];

		snprintf(feed, sizeof feed, "%.*s", (int)(colon - arg), arg);
		if (!fm_store_item_lookup(st, feed, colon + 1, f))
			return 0;
	}
	fprintf(stderr, "feedmerge: no item '%s' in the state (give its id, its link, or FEED:ID)\n", arg);
	return -1;
}

/* --explain: why two items were or were not merged. */
static int
cl_explain(const fm_config *cfg, fm_store *st, const char *a_arg, const char *b_arg)
{
	fm_store_found a, b;
	fm_fingerprint fa, fb;
	fm_dedup_params p;
	fm_dedup_verdict v;
	int64_t ca, cb;
	const fm_config_feed *fda, *fdb;
	int64_t apart;

	if (cl_find(st, a_arg, &a))
		return CLI_USAGE;
	if (cl_find(st, b_arg, &b)) {
		fm_store_found_clear(&a);
		return CLI_USAGE;
	}
	printf("A: [%s] %s\n   %s\n", a.feed, a.title ? a.title : "(no title)", a.link ? a.link : "(no link)");
	printf("B: [%s] %s\n   %s\n", b.feed, b.title ? b.title : "(no title)", b.link ? b.link : "(no link)");
	printf("now: %s\n", a.cluster == b.cluster ? "in the same cluster" : "in different clusters");
	fm_dedup_defaults(&p);
	p.threshold = fm_config_get_dedup(cfg)->threshold;
	fda = fm_config_feed_find(cfg, a.feed);
	fdb = fm_config_feed_find(cfg, b.feed);
	apart = a.when > b.when ? a.when - b.when : b.when - a.when;
	if (fm_store_fingerprint(st, a.item, &fa, &ca) || fm_store_fingerprint(st, b.item, &fb, &cb)) {
		printf("verdict: not compared: %s\n",
		       (fda && !fda->cluster) || (fdb && !fdb->cluster)
			       ? "a feed has cluster = no" : "an item has no fingerprint");
	} else {
		unsigned keys = fm_dedup_keys(&fa, &fb, &p);
		fm_dedup_pair pair = { !strcmp(a.feed, b.feed), apart };

		fm_dedup_match(&fa, &fb, &pair, &p, &v);
		printf("candidates by: %s%s%s%s%s\n", keys & FM_DEDUP_KEY_LINK ? "link " : "",
		       keys & FM_DEDUP_KEY_LEAD ? "lead " : "", keys & FM_DEDUP_KEY_TEXT ? "text " : "",
		       keys & FM_DEDUP_KEY_HEADLINE ? "headline " : "", keys ? "" : "no key (never compared)");
		printf("lead SimHash distance: %d (threshold %d)\n", v.distance, p.threshold);
		printf("headline words in common: %u (%.0f%% of either's)\n", v.title_shared,
		       v.title_jaccard * 100);
		printf("text in common: %.0f%% of the shorter, %.0f%% of the longer, ~%.0f shingles"
		       " (the bar is %.0f%% and %u shingles, %.0f%% within one feed)\n",
		       v.containment * 100, v.overlap * 100, v.shared, p.containment * 100, p.min_shared,
		       p.same_feed * 100);
		printf("words of text: %u and %u\n", fa.words, fb.words);
		printf("published %lld h apart (window %lld h)\n", (long long)(apart / 3600),
		       (long long)(fm_config_get_dedup(cfg)->window / 3600));
		if (apart > fm_config_get_dedup(cfg)->window)
			printf("verdict: not merged: further apart than the window\n");
		else
			printf("verdict: %s: %s\n", v.merge ? "merged" : "not merged", v.why);
	}
	fm_store_found_clear(&a);
	fm_store_found_clear(&b);
	return CLI_OK;
}

int
cli_clusters(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "explain", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cl_list l;
	const char *path = NULL;
	fm_config *cfg;
	fm_store *st;
	fm_time since = 0;
	int ch, explain = 0, status;

	memset(&l, 0, sizeof l);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 's':
			if (cl_since(optarg, &since)) {
				fprintf(stderr, "feedmerge clusters: --since: expected a duration (3d) or a date, got '%s'\n",
					optarg);
				return CLI_USAGE;
			}
			break;
		case 'a': l.all = 1; break;
		case 'j': l.json = 1; break;
		case 'e': explain = 1; break;
		case 'h': cli_clusters_help(); return CLI_OK;
		default:
			fputs("see 'feedmerge help clusters'\n", stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc - (explain ? 2 : 0)) {
		fprintf(stderr, "feedmerge clusters: %s; see 'feedmerge help clusters'\n",
			explain ? "--explain needs two items" : "unexpected argument");
		return CLI_USAGE;
	}
	if ((status = cli_config_load(path, &cfg)))
		return status;
	if (!(status = cli_state_open(cfg, &st, 0)) && !st) {
		fprintf(stderr, "feedmerge: %s: no state yet; run 'feedmerge run' first\n",
			fm_config_get_main(cfg)->state);
		status = CLI_NOWRITE;
	}
	if (status) {
		fm_config_free(cfg);
		return status;
	}
	if (explain) {
		status = cl_explain(cfg, st, argv[optind], argv[optind + 1]);
	} else {
		l.cfg = cfg;
		l.st = st;
		l.first = 1;
		if (l.json)
			fputs("{\"clusters\": [", stdout);
		if (fm_store_clusters(st, since, cl_cluster, &l)) {
			fprintf(stderr, "feedmerge: %s: cannot read the clusters\n",
				fm_config_get_main(cfg)->state);
			status = CLI_NOWRITE;
		}
		if (l.json)
			fputs("\n]}\n", stdout);
		free(l.m);
	}
	fm_store_close(st);
	fm_config_free(cfg);
	return status;
}
