/* fields.c - values of the config that are more than one token: headers, secret files. */
#include "config/fields.h"
#include "feedmerge/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns 1 when c may be in an RFC 9110 token (a header name). */
static int
fields_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

int
fm__config_header(const char *line)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t nlen = 0;

	while (fields_tchar(p[nlen]))
		nlen++;
	if (!nlen || p[nlen] != ':')
		return FM_EINVAL;
	p += nlen + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return FM_EINVAL;
	for (; *p; p++)
		if ((*p < ' ' && *p != '\t') || *p == 0x7f)
			return FM_EINVAL;
	return 0;
}

int
fm__config_read_secret(char **out, const char *path, char *err, size_t errsz)
{
	char buf[FM_CONFIG_SECRET_MAX + 2];
	size_t n;
	FILE *f;

	*out = NULL;
	if (!(f = fopen(path, "r"))) {
		snprintf(err, errsz, "%s", strerror(errno));
		return FM_EIO;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	if (ferror(f)) {
		snprintf(err, errsz, "%s", strerror(errno));
		fclose(f);
		return FM_EIO;
	}
	fclose(f);
	buf[n] = '\0';
	n = strcspn(buf, "\r\n");
	if (n > FM_CONFIG_SECRET_MAX) {
		snprintf(err, errsz, "its first line is longer than %d bytes", FM_CONFIG_SECRET_MAX);
		return FM_EIO;
	}
	if (n == 0) {
		snprintf(err, errsz, "its first line is empty");
		return FM_EIO;
	}
	buf[n] = '\0';
	if (!(*out = strdup(buf)))
		return FM_ENOMEM;
	memset(buf, 0, sizeof buf);
	return 0;
}
