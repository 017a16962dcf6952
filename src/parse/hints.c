/*
 * hints.c - the polling hints of the feed model: what a channel says about
 * how often to poll it (RSS 2.0 ttl, skipHours and skipDays; RSS 1.0
 * sy:updatePeriod and sy:updateFrequency). model.c captures those elements
 * at channel level only (an item's ttl is not the feed's); their text,
 * trimmed, comes here (internal).
 */
#include "parse/model_int.h"
#include "parse/names.h"

#include <string.h>
#include <strings.h>

/* Returns text as a whole number 0..max, or -1 when it is none. */
static long
hints_number(const char *s, long max)
{
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((v = v * 10 + (*s - '0')) > max)
			return -1;
	return *s ? -1 : v;
}

void
fm__model_hint(fm__model *m, int el, const char *text)
{
	static const char *const days[] = {
		"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
	};
	static const struct { const char *name; int64_t secs; } periods[] = {
		{ "hourly", 3600 }, { "daily", 86400 }, { "weekly", 7 * 86400 },
		{ "monthly", 30 * 86400 }, { "yearly", 365 * 86400 },
	};
	long v;
	size_t i;

	switch (el) {
	case EL_TTL:
		/* Minutes; a week at most is believed (max_interval caps it anyway). The last one counts. */
		if ((v = hints_number(text, 7L * 24 * 60)) > 0)
			m->hints.ttl = (int)v;
		break;
	case EL_HOUR:
		/* RSS 2.0: 0-23, GMT; some write 24 for midnight. */
		if ((v = hints_number(text, 24)) >= 0)
			m->hints.skip_hours |= 1u << (v % 24);
		break;
	case EL_DAY:
		for (i = 0; i < sizeof(days) / sizeof(days[0]); i++)
			if (!strcasecmp(text, days[i]))
				m->hints.skip_days |= (uint8_t)(1u << i);
		break;
	case EL_SY_PERIOD:
		for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
			if (!strcasecmp(text, periods[i].name))
				m->sy_period = periods[i].secs;
		break;
	case EL_SY_FREQUENCY:
		if ((v = hints_number(text, 100000)) > 0)
			m->sy_frequency = (int)v;
		break;
	default:
		break;
	}
}

void
fm__model_hints(const fm__model *m, fm_feed_hints *out)
{
	*out = m->hints;
	/* sy: updateFrequency times per updatePeriod (once when no frequency is given). */
	out->sy_seconds = m->sy_period ? m->sy_period / (m->sy_frequency ? m->sy_frequency : 1) : 0;
	/* Every hour or every day skipped is nonsense: ignored. */
	if (out->skip_hours == 0xFFFFFFu)
		out->skip_hours = 0;
	if (out->skip_days == 0x7F)
		out->skip_days = 0;
}
