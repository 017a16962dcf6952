/*
 * expat-noop.h - expat's no-op floor, shared by expat-floor.c and
 * parse-inproc.c: start, end and character-data handlers that do nothing,
 * and an unknown-encoding handler that teaches expat windows-1252 (expat
 * decodes UTF-8, UTF-16, US-ASCII and ISO-8859-1 itself), so the corpora's
 * few such files are read in full. noop_setup() installs all four.
 */
#ifndef FM_BENCH_EXPAT_NOOP_H
#define FM_BENCH_EXPAT_NOOP_H

#include <expat.h>
#include <strings.h>

static void XMLCALL
noop_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)ud;
	(void)name;
	(void)atts;
}

static void XMLCALL
noop_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

static void XMLCALL
noop_text(void *ud, const XML_Char *s, int len)
{
	(void)ud;
	(void)s;
	(void)len;
}

/* windows-1252's 0x80-0x9F; -1 where the code page leaves a byte undefined. */
static const int noop_cp1252[32] = {
	0x20AC, -1, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017D, -1,
	-1, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, -1, 0x017E, 0x0178,
};

/* Teaches expat windows-1252; returns XML_STATUS_OK, or XML_STATUS_ERROR for other names. */
static int XMLCALL
noop_unknown_encoding(void *data, const XML_Char *name, XML_Encoding *info)
{
	int i;

	(void)data;
	if (strcasecmp(name, "windows-1252") != 0 && strcasecmp(name, "cp1252") != 0)
		return XML_STATUS_ERROR;
	for (i = 0; i < 256; i++)
		info->map[i] = (i >= 0x80 && i < 0xA0) ? noop_cp1252[i - 0x80] : i;
	info->data = NULL;
	info->convert = NULL;
	info->release = NULL;
	return XML_STATUS_OK;
}

/* Gives xp the no-op handlers and the windows-1252 decoder. */
static void
noop_setup(XML_Parser xp)
{
	XML_SetElementHandler(xp, noop_start, noop_end);
	XML_SetCharacterDataHandler(xp, noop_text);
	XML_SetUnknownEncodingHandler(xp, noop_unknown_encoding, NULL);
}

#endif
