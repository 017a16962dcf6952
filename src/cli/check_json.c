/* check_json.c - `feedmerge check --json`: the effective settings as one JSON object. */
#include "cli/cli.h"
#include "util/jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Appends ", \"key\": " then s as a JSON string (or null). */
static void
j_str(fm_buf *b, const char *key, const char *s)
{
	fm_buf_printf(b, ", \"%s\": ", key);
	fm__json_str(b, s);
}

/* Appends ", \"key\": n". */
static void
j_num(fm_buf *b, const char *key, int64_t n)
{
	fm_buf_printf(b, ", \"%s\": %" PRId64, key, n);
}

/* Appends ", \"key\": [names...]". */
static void
j_names(fm_buf *b, const char *key, const char *const *names, size_t n)
{
	size_t i;

	fm_buf_printf(b, ", \"%s\": [", key);
	for (i = 0; i < n; i++) {
		if (i)
			fm_buf_puts(b, ", ");
		fm__json_str(b, names[i]);
	}
	fm_buf_putc(b, ']');
}

/* Advice callback: one {"kind", "text"} object in the array being built. */
static void
j_advice(void *ud, const char *kind, const char *line)
{
	fm_buf *b = ud;

	fm_buf_puts(b, b->ptr[b->size - 1] == '[' ? "\n    {\"kind\": " : ",\n    {\"kind\": ");
	fm__json_str(b, kind);
	fm_buf_puts(b, ", \"text\": ");
	fm__json_str(b, line);
	fm_buf_putc(b, '}');
}

int
cli_check_json(const fm_config *cfg)
{
	const fm_config_main *m = fm_config_get_main(cfg);
	const fm_config_dedup *d = fm_config_get_dedup(cfg);
	fm_buf b = FM_BUF_INIT;
	char line[1024];
	size_t i, k;

	fm_buf_puts(&b, "{\"config\": ");
	fm__json_str(&b, fm_config_path(cfg));
	fm_buf_puts(&b, ",\n  \"feedmerge\": {\"state\": ");
	fm__json_str(&b, m->state);
	j_num(&b, "interval", m->interval);
	fm_buf_printf(&b, ", \"interval_auto\": %s", m->interval_auto ? "true" : "false");
	j_num(&b, "max_interval", m->max_interval);
	j_num(&b, "timeout", m->timeout);
	j_num(&b, "concurrency", m->concurrency);
	j_num(&b, "per_host", m->per_host);
	j_str(&b, "user_agent", m->user_agent);
	j_num(&b, "max_feed_size", (int64_t)m->max_feed_size);
	j_num(&b, "keep", m->keep);
	j_num(&b, "lock_wait", m->lock_wait);
	cli_redact_url(line, sizeof line, m->proxy);
	j_str(&b, "proxy", m->proxy ? line : NULL);
	j_str(&b, "ca_file", m->ca_file);
	fm_buf_printf(&b, "},\n  \"dedup\": {\"threshold\": %d", d->threshold);
	j_num(&b, "window", d->window);
	fm_buf_puts(&b, "},\n  \"outputs\": [");
	for (i = 0; i < fm_config_output_count(cfg); i++) {
		const fm_config_output *o = fm_config_output_at(cfg, i);

		fm_buf_puts(&b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		fm__json_str(&b, o->name);
		j_str(&b, "path", o->path);
		j_str(&b, "format", fm_config_format_name(o->format));
		j_str(&b, "title", o->title);
		j_str(&b, "link", o->link);
		j_num(&b, "max_items", (int64_t)o->max_items);
		j_num(&b, "max_age", o->max_age);
		j_names(&b, "groups", o->groups, o->ngroups);
		j_names(&b, "feeds", o->feeds, o->nfeeds);
		j_str(&b, "include", o->include);
		j_str(&b, "exclude", o->exclude);
		j_str(&b, "url", o->url);
		j_str(&b, "language", o->language);
		fm_buf_putc(&b, '}');
	}
	fm_buf_puts(&b, "],\n  \"feeds\": [");
	for (i = 0; i < fm_config_feed_count(cfg); i++) {
		const fm_config_feed *f = fm_config_feed_at(cfg, i);

		fm_buf_puts(&b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		fm__json_str(&b, f->name);
		j_num(&b, "line", (int64_t)f->line);
		j_str(&b, "url", f->url);
		j_num(&b, "interval", f->interval);
		fm_buf_printf(&b, ", \"interval_auto\": %s", f->interval_auto ? "true" : "false");
		j_num(&b, "max_interval", f->max_interval);
		j_num(&b, "priority", f->priority);
		j_str(&b, "include", f->include);
		j_str(&b, "exclude", f->exclude);
		fm_buf_printf(&b, ", \"enabled\": %s, \"cluster\": %s", f->enabled ? "true" : "false",
			      f->cluster ? "true" : "false");
		j_str(&b, "identity", fm_config_identity_name(f->identity));
		j_str(&b, "user_agent", f->user_agent);
		j_str(&b, "encoding", f->encoding);
		j_str(&b, "username", f->username);
		/* Never the password or a header's value: whether there is one, and names. */
		fm_buf_printf(&b, ", \"password\": %s", f->password ? "true" : "false");
		j_str(&b, "password_file", f->password_file);
		fm_buf_puts(&b, ", \"headers\": [");
		for (k = 0; k < f->nheaders; k++) {
			snprintf(line, sizeof line, "%.*s", (int)strcspn(f->headers[k], ":"), f->headers[k]);
			if (k)
				fm_buf_puts(&b, ", ");
			fm__json_str(&b, line);
		}
		fm_buf_putc(&b, ']');
		cli_redact_url(line, sizeof line, f->proxy);
		j_str(&b, "proxy", f->proxy ? line : NULL);
		j_str(&b, "ca_file", f->ca_file);
		fm_buf_printf(&b, ", \"tls_verify\": %s", f->tls_verify ? "true" : "false");
		j_names(&b, "groups", f->groups, f->ngroups);
		fm_buf_putc(&b, '}');
	}
	fm_buf_puts(&b, "],\n  \"advice\": [");
	cli_check_advice(cfg, j_advice, &b);
	fm_buf_puts(&b, "]}\n");
	fputs(fm_buf_cstr(&b), stdout);
	fm_buf_dispose(&b);
	return CLI_OK;
}
