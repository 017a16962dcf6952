/* hints.c - what a feed body says about polling: ttl, sy:updatePeriod, skipHours, skipDays. */
#include "fetch/hints.h"

#include <string.h>
#include <strings.h>

enum { H_TEXT, H_TAG, H_SKIPTAG };

void
fm__hints_init(fm__hints_scan *h)
{
	memset(h, 0, sizeof *h);
	h->out.ttl = -1;
}

/* Returns the local part of a tag name ("sy:updatePeriod" gives "updatePeriod"). */
static const char *
hints_local(const char *name)
{
	const char *colon = strchr(name, ':');

	return colon ? colon + 1 : name;
}

/* Returns the text as a whole number 0..max, or -1 when it is none. */
static long
hints_number(const char *s, long max)
{
	long v = 0;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((v = v * 10 + (*s - '0')) > max)
			return -1;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s ? -1 : v;
}

/* Returns the trimmed text in buf (in place). */
static char *
hints_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* An end tag: the text before it is the element's value. */
static void
hints_end(fm__hints_scan *h, const char *local)
{
	static const char *const days[] = {
		"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
	};
	static const struct { const char *name; int64_t secs; } periods[] = {
		{ "hourly", 3600 }, { "daily", 86400 }, { "weekly", 7 * 86400 },
		{ "monthly", 30 * 86400 }, { "yearly", 365 * 86400 },
	};
	char *text = hints_trim(h->text);
	long v;
	size_t i;

	if (!strcasecmp(local, "item") || !strcasecmp(local, "entry")) {
		if (h->item_depth)
			h->item_depth--;
		return;
	}
	if (h->item_depth)
		return;
	if (!strcmp(local, "skipHours")) {
		h->in_skip_hours = 0;
	} else if (!strcmp(local, "skipDays")) {
		h->in_skip_days = 0;
	} else if (!strcmp(local, "hour") && h->in_skip_hours) {
		/* RSS 2.0: 0-23, GMT; some write 24 for midnight. */
		if ((v = hints_number(text, 24)) >= 0)
			h->out.skip_hours |= 1u << (v % 24);
	} else if (!strcmp(local, "day") && h->in_skip_days) {
		for (i = 0; i < 7; i++)
			if (!strcasecmp(text, days[i]))
				h->out.skip_days |= (uint8_t)(1u << i);
	} else if (!strcmp(local, "ttl")) {
		/* Minutes; a week at most is believed (max_interval caps it anyway). */
		if ((v = hints_number(text, 7L * 24 * 60)) > 0)
			h->out.ttl = (int)v;
	} else if (!strcmp(local, "updatePeriod")) {
		for (i = 0; i < sizeof periods / sizeof periods[0]; i++)
			if (!strcasecmp(text, periods[i].name))
				h->sy_period = periods[i].secs;
	} else if (!strcmp(local, "updateFrequency")) {
		if ((v = hints_number(text, 100000)) > 0)
			h->sy_frequency = (int)v;
	}
}

/* A whole tag was read (without its brackets). */
static void
hints_tag(fm__hints_scan *h)
{
	char *name = h->tag;
	int end = 0, empty;
	const char *local;

	h->tag[h->ntag] = '\0';
	empty = h->ntag && h->tag[h->ntag - 1] == '/';
	if (*name == '/')
		end = 1, name++;
	name[strcspn(name, " \t\r\n/")] = '\0';
	local = hints_local(name);
	if (end) {
		hints_end(h, local);
	} else if (!empty) {
		if (!strcasecmp(local, "item") || !strcasecmp(local, "entry"))
			h->item_depth++;
		else if (!h->item_depth && !strcmp(local, "skipHours"))
			h->in_skip_hours = 1;
		else if (!h->item_depth && !strcmp(local, "skipDays"))
			h->in_skip_days = 1;
	}
	h->ntext = 0;
	h->text[0] = '\0';
}

void
fm__hints_push(fm__hints_scan *h, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = data[i];

		switch (h->state) {
		case H_TEXT:
			if (c == '<') {
				h->state = H_TAG;
				h->ntag = 0;
			} else if (h->ntext < sizeof h->text - 1) {
				h->text[h->ntext++] = c;
				h->text[h->ntext] = '\0';
			}
			break;
		case H_TAG:
			if (c == '>') {
				hints_tag(h);
				h->state = H_TEXT;
			} else if (h->ntag == 0 && (c == '!' || c == '?')) {
				/* comments, CDATA, declarations: not an element */
				h->state = H_SKIPTAG;
			} else if (h->ntag < sizeof h->tag - 2) {
				h->tag[h->ntag++] = c;
			} else {
				/* Long attributes: keep the name, and whether the tag ends in '/'. */
				h->tag[sizeof h->tag - 2] = c == '/' ? '/' : ' ';
				h->ntag = sizeof h->tag - 1;
			}
			break;
		default:
			if (c == '>') {
				h->state = H_TEXT;
				h->ntext = 0;
			}
			break;
		}
	}
}

void
fm__hints_finish(fm__hints_scan *h)
{
	/* sy: updateFrequency times per updatePeriod (default 1 per period). */
	if (h->sy_period)
		h->out.sy_seconds = h->sy_period / (h->sy_frequency ? h->sy_frequency : 1);
	if (h->out.skip_hours == 0xFFFFFFu)
		h->out.skip_hours = 0; /* every hour skipped: nonsense, ignored */
	if (h->out.skip_days == 0x7F)
		h->out.skip_days = 0;
}
