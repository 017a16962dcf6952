/* outw.c - the writers' sticky-error text writer and the helpers every format shares. */
#include "output/output_int.h"
#include "output/xmlw.h"
#include "util/jsonw.h"
#include "feedmerge/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void
fm__outw_puts(fm__outw *w, const char *s)
{
	if (!w->error)
		w->error = fm_buf_puts(w->out, s);
}

void
fm__outw_printf(fm__outw *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->error)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		w->error = FM_EINVAL;
		return;
	}
	if ((w->error = fm_buf_grow(w->out, (size_t)n)) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(w->out->ptr + w->out->size, (size_t)n + 1, fmt, ap);
	va_end(ap);
	w->out->size += (size_t)n;
}

void
fm__outw_text(fm__outw *w, const char *s)
{
	if (!w->error)
		w->error = fm__xml_escape(w->out, s, 0);
}

void
fm__outw_attr(fm__outw *w, const char *s)
{
	if (!w->error)
		w->error = fm__xml_escape(w->out, s, 1);
}

void
fm__outw_json(fm__outw *w, const char *s)
{
	if (w->error)
		return;
	if (!s || fm__utf8_valid(s)) {
		w->error = fm__json_str(w->out, s);
		return;
	}
	fm_buf_clear(&w->scratch);
	if (!(w->error = fm__utf8_clean(&w->scratch, s)))
		w->error = fm__json_str(w->out, fm_buf_cstr(&w->scratch));
}

void
fm__outw_xml_attr(fm__outw *w, const char *name, const char *value)
{
	if (!fm__output_has(value))
		return;
	fm__outw_printf(w, " %s=\"", name);
	fm__outw_attr(w, value);
	fm__outw_puts(w, "\"");
}

void
fm__outw_xml_elem(fm__outw *w, int indent, const char *name, const char *text)
{
	if (!fm__output_has(text))
		return;
	fm__outw_printf(w, "%*s<%s>", indent, "", name);
	fm__outw_text(w, text);
	fm__outw_printf(w, "</%s>\n", name);
}

void
fm__outw_xml_link(fm__outw *w, int indent, const char *tag, const char *rel,
		  const char *href, const char *title, const char *type,
		  const char *length)
{
	fm__outw_printf(w, "%*s<%s", indent, "", tag);
	fm__outw_xml_attr(w, "rel", rel);
	fm__outw_xml_attr(w, "href", fm__outw_iri(w, href));
	fm__outw_xml_attr(w, "type", type);
	fm__outw_xml_attr(w, "length", length);
	fm__outw_xml_attr(w, "title", title);
	fm__outw_puts(w, "/>\n");
}

void
fm__outw_output_id(fm__outw *w, const char *name)
{
	static const char safe[] = "-._~!$'()*+,;=:@/";
	const unsigned char *p;

	fm__outw_puts(w, "urn:feedmerge:output:");
	for (p = (const unsigned char *)(name ? name : ""); *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(safe, *p))
			fm__outw_printf(w, "%c", *p);
		else if (*p == '&')
			fm__outw_puts(w, "&amp;");
		else
			fm__outw_printf(w, "%%%02X", *p);
	}
}

/* Returns 1 when the byte at p cannot stand as it is in an IRI (see fm__outw_iri), else 0. */
static int
outw_iri_bad(const unsigned char *p)
{
	static const char hex[] = "0123456789abcdefABCDEF";

	if (*p == '%')
		return !(p[1] && strchr(hex, p[1]) && p[2] && strchr(hex, p[2]));
	return *p <= 0x20 || *p == 0x7f || strchr("\"<>\\^`{|}", *p) != NULL;
}

const char *
fm__outw_iri(fm__outw *w, const char *s)
{
	const unsigned char *p;

	if (!s)
		return NULL;
	for (p = (const unsigned char *)s; *p && !outw_iri_bad(p); p++)
		;
	if (!*p)
		return s;
	fm_buf_clear(&w->iri);
	for (p = (const unsigned char *)s; *p && !w->error; p++)
		w->error = outw_iri_bad(p) ? fm_buf_printf(&w->iri, "%%%02X", *p) :
					     fm_buf_putc(&w->iri, (char)*p);
	return w->error ? NULL : fm_buf_cstr(&w->iri);
}

/* Returns 1 when s[0..n) is a dot-atom (RFC 2822 section 3.2.4): atext runs joined by single dots. */
static int
outw_dot_atom(const char *s, size_t n)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' ? s[i + 1] == '.' :
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || (c && strchr(atext, c))))
			return 0;
	}
	return 1;
}

int
fm__output_is_email(const char *s)
{
	const char *at;

	if (!fm__output_has(s) || !(at = strchr(s, '@')) || strchr(at + 1, '@'))
		return 0;
	return outw_dot_atom(s, (size_t)(at - s)) && outw_dot_atom(at + 1, strlen(at + 1));
}

int
fm__output_is_digits(const char *s)
{
	if (!fm__output_has(s))
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

fm_time
fm__output_updated(const fm_entry *entries, size_t n)
{
	fm_time t = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (entries[i].updated > t)
			t = entries[i].updated;
	return t;
}

const char *
fm__output_title(const fm_entry *e)
{
	const fm_member *rep = &e->members[0];

	if (fm__output_has(rep->item.title))
		return rep->item.title;
	if (fm__output_has(rep->feed_title))
		return rep->feed_title;
	return "(untitled)";
}

const char *
fm__output_feed_name(const fm_member *m)
{
	if (fm__output_has(m->feed_title))
		return m->feed_title;
	if (fm__output_has(m->item.feed))
		return m->item.feed;
	return "unknown";
}

char *
fm__output_rfc822(char out[FM__OUTPUT_RFC822_BUFSZ], fm_time t)
{
	/* RFC 822 section 5.1 names, spelled out here: strftime would follow the locale. */
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;

	if ((fm_time)tt != t || !gmtime_r(&tt, &tm)) {
		tt = 0;
		gmtime_r(&tt, &tm);
	}
	snprintf(out, FM__OUTPUT_RFC822_BUFSZ, "%s, %02d %s %04d %02d:%02d:%02d +0000",
		 days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return out;
}
