/* fields.h - values of the config that are more than one token: headers, secret files. */
#ifndef FM_CONFIG_FIELDS_H
#define FM_CONFIG_FIELDS_H

#include <stddef.h>

/* The longest secret read from a password_file. */
#define FM_CONFIG_SECRET_MAX 4096

/*
 * Checks a request header line "Name: value": Name a token of RFC 9110
 * (letters, digits and !#$%&'*+-.^_`|~), a colon, a value of printable
 * bytes (tabs allowed) that is not empty. Returns 0 or FM_EINVAL.
 */
int fm__config_header(const char *line);

/*
 * Reads the secret in the file at path: its first line, without the line
 * end (a file holding only "s3cret\n" gives "s3cret").
 * @param out receives a malloc'd copy the caller frees; NULL on failure
 * @param err on failure, why (strerror, "empty", "too long")
 * @return 0, FM_EIO (unreadable or empty or too long) or FM_ENOMEM.
 */
int fm__config_read_secret(char **out, const char *path, char *err, size_t errsz);

#endif
