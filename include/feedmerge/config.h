/* config.h - the INI configuration: load it once, read it, free it. */
#ifndef FEEDMERGE_CONFIG_H
#define FEEDMERGE_CONFIG_H

#include "feedmerge/error.h"

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Defaults (DESIGN.md, "Config keys"). Durations are seconds, sizes bytes.
 * A relative path in the file (state, output path, file: feed URL) is
 * relative to the directory of the config file; the loaded config holds
 * absolute paths only.
 */
#define FM_CONFIG_STATE "feedmerge.db"              /**< [feedmerge] state, beside the config file */
#define FM_CONFIG_INTERVAL ((int64_t)30 * 60)       /**< [feedmerge] interval: 30m */
#define FM_CONFIG_MAX_INTERVAL ((int64_t)86400)   /**< [feedmerge] max_interval: 1d */
#define FM_CONFIG_TIMEOUT ((int64_t)30)             /**< [feedmerge] timeout: 30s */
#define FM_CONFIG_CONCURRENCY 8                     /**< [feedmerge] concurrency */
#define FM_CONFIG_PER_HOST 2                        /**< [feedmerge] per_host */
#define FM_CONFIG_MAX_FEED_SIZE ((uint64_t)16 << 20) /**< [feedmerge] max_feed_size: 16M */
#define FM_CONFIG_KEEP ((int64_t)30 * 86400)        /**< [feedmerge] keep: 30d (0 keeps for ever) */
#define FM_CONFIG_LOCK_WAIT ((int64_t)10)        /**< [feedmerge] lock_wait: 10s */
#define FM_CONFIG_THRESHOLD 5                       /**< [dedup] threshold: lead SimHash distance 0-10 */
#define FM_CONFIG_WINDOW ((int64_t)60 * 86400)      /**< [dedup] window: 60d */
#define FM_CONFIG_MAX_ITEMS 100                     /**< [output] max_items (0 = no limit) */
#define FM_CONFIG_MAX_AGE ((int64_t)0)              /**< [output] max_age (0 = no limit) */
#define FM_CONFIG_PRIORITY 0                        /**< [feed] priority */

/** What an output is written as: [output NAME] format (default atom). */
typedef enum fm_config_format {
	FM_OUTPUT_ATOM = 0, /**< Atom 1.0 */
	FM_OUTPUT_RSS,      /**< RSS 2.0 */
	FM_OUTPUT_JSON,     /**< JSON Feed 1.1 */
	FM_OUTPUT_HTML      /**< a static HTML page of the stories (the river) */
} fm_config_format;

/** How an item is recognised across fetches: [feed NAME] identity (default guid). */
typedef enum fm_config_identity {
	FM_IDENTITY_GUID = 0,  /**< the item's guid / Atom id (falls back to link) */
	FM_IDENTITY_LINK,      /**< the item's link */
	FM_IDENTITY_TITLE_DATE /**< title and published date together */
} fm_config_identity;

/** [feedmerge]: settings of the whole run. Strings are owned by the fm_config. */
typedef struct fm_config_main {
	const char *state;      /**< SQLite state file, absolute (default FM_CONFIG_STATE) */
	int64_t interval;       /**< seconds between fetches of a feed (default 30m; the start of auto) */
	int interval_auto;      /**< interval = auto: each feed's from its posting rhythm (default no) */
	int64_t max_interval;   /**< the most a publisher's floor (or auto) may hold a feed back (default 1d) */
	int64_t timeout;        /**< seconds one transfer may take, start to end (default 30s) */
	int concurrency;        /**< transfers at once, 1-1024 (default 8) */
	int per_host;           /**< transfers at once to one host name, 1-1024 (default 2) */
	const char *user_agent; /**< default "feedmerge/VERSION (+URL)" from version.h */
	uint64_t max_feed_size; /**< bytes of one feed after decompression (default 16M) */
	int64_t keep;           /**< seconds an item is kept after first seen, 0 = for ever (default 30d) */
	int64_t lock_wait;      /**< seconds a run waits for another run's lock (default 10s) */
	const char *proxy;      /**< proxy URL every feed uses, or NULL: libcurl reads http_proxy etc. */
	const char *ca_file;    /**< PEM file of CAs trusted for https, absolute, or NULL: the system's */
} fm_config_main;

/** [dedup]: near-duplicate clustering. */
typedef struct fm_config_dedup {
	int threshold;  /**< largest lead SimHash distance of two copies, 0-10 (default 5) */
	int64_t window; /**< seconds two copies may lie apart (default 60d) */
} fm_config_dedup;

/** [output NAME]: one merged feed file. Strings are owned by the fm_config. */
typedef struct fm_config_output fm_config_output;
struct fm_config_output {
	const char *name;        /**< NAME from the section header */
	unsigned long line;      /**< line of the section header */
	const char *path;        /**< file to write, absolute (required) */
	fm_config_format format; /**< atom, rss, json or html (default atom) */
	const char *title;       /**< the feed's title (default "feedmerge: NAME") */
	const char *link;        /**< the feed's home link, or NULL (default: none) */
	size_t max_items;        /**< most entries, 0 = no limit (default 100) */
	int64_t max_age;         /**< oldest entry in seconds, 0 = no limit (default 0) */
	const char *const *groups; /**< ngroups group names it takes feeds from (default: none) */
	size_t ngroups;          /**< how many groups */
	const char *const *feeds; /**< nfeeds [feed NAME]s it takes (default: none) */
	size_t nfeeds;           /**< how many feeds; with no groups and no feeds, it takes every feed */
	const char *include;     /**< the include pattern as written, or NULL (default: none) */
	const char *exclude;     /**< the exclude pattern as written, or NULL (default: none) */
	const regex_t *include_re; /**< include compiled (ERE, case-insensitive), or NULL */
	const regex_t *exclude_re; /**< exclude compiled (ERE, case-insensitive), or NULL */
	const char *url;         /**< where the file is published (its self link), or NULL */
	const char *language;    /**< its language tag (RFC 5646, "en", "pt-BR"), or NULL */
	const struct fm_config_output *const *alternates; /**< nalternates other outputs with a url,
					  a feed format and the same selection (the HTML page links them) */
	size_t nalternates;      /**< how many alternates */
};

/** [feed NAME]: one source. Strings and regexes are owned by the fm_config. */
typedef struct fm_config_feed {
	const char *name;            /**< NAME from the section header */
	unsigned long line;          /**< line of the section header */
	const char *url;             /**< http://, https:// or file:/// (file: paths made absolute) (required) */
	int64_t interval;            /**< seconds between fetches (default [feedmerge] interval) */
	int interval_auto;           /**< interval = auto: the median gap of its newest items (default [feedmerge]'s) */
	int64_t max_interval;        /**< caps the publisher's floors and auto (default [feedmerge] max_interval) */
	int priority;                /**< higher wins as a cluster's representative (default 0) */
	const char *include;         /**< the include pattern as written, or NULL (default: none) */
	const char *exclude;         /**< the exclude pattern as written, or NULL (default: none) */
	const regex_t *include_re;   /**< include compiled (ERE, case-insensitive), or NULL */
	const regex_t *exclude_re;   /**< exclude compiled (ERE, case-insensitive), or NULL */
	int enabled;                 /**< 0 skips the feed entirely (default yes) */
	int cluster;                 /**< 0 keeps its items out of clustering (default yes) */
	fm_config_identity identity; /**< guid, link or title+date (default guid) */
	const char *user_agent;      /**< User-Agent sent (default [feedmerge] user_agent) */
	const char *encoding;        /**< charset overriding the feed's own, or NULL (default: none) */
	const char *username;        /**< HTTP basic user name, or NULL (default: none) */
	const char *password;        /**< HTTP basic password (from password or password_file), or NULL; never print it */
	const char *password_file;   /**< the file the password was read from, absolute, or NULL */
	const char *const *headers;  /**< nheaders request lines "Name: value" (header keys, file order) */
	size_t nheaders;             /**< how many headers */
	const char *proxy;           /**< proxy URL (default [feedmerge] proxy), or NULL: the environment's */
	const char *ca_file;         /**< PEM CA file, absolute (default [feedmerge] ca_file), or NULL */
	int tls_verify;              /**< 0 skips TLS certificate and host checks (default yes) */
	const char *const *groups;   /**< ngroups group names (outputs select by them) (default: none) */
	size_t ngroups;              /**< how many groups */
} fm_config_feed;

/** A loaded, immutable configuration; opaque. */
typedef struct fm_config fm_config;

/**
 * Picks the config file: cli_path (from -c) when non-NULL and non-empty,
 * else $FEEDMERGE_CONFIG when set and non-empty, else "./feedmerge.ini".
 * @return a borrowed pointer: cli_path, the environment's string (valid
 *         until the environment changes) or a static string; never NULL.
 */
const char *fm_config_default_path(const char *cli_path);

/**
 * Reads and checks the INI file at path into a new configuration.
 * @param out  receives the configuration; the caller frees it with
 *             fm_config_free(). Set to NULL on failure.
 * @param diag optional; on failure holds one line "PATH:LINE: [SECTION] KEY:
 *             what was expected" (line 0 when the file could not be read).
 * @return 0, FM_EIO (unreadable file), FM_EINVAL (any error in the file)
 *         or FM_ENOMEM.
 */
int fm_config_load(fm_config **out, const char *path, fm_diag *diag);

/** Frees a configuration and everything borrowed from it; NULL is fine. */
void fm_config_free(fm_config *cfg);

/** Returns the path the config was loaded from (borrowed, lives as cfg). */
const char *fm_config_path(const fm_config *cfg);

/** Returns the [feedmerge] settings (borrowed, lives as cfg). */
const fm_config_main *fm_config_get_main(const fm_config *cfg);

/** Returns the [dedup] settings (borrowed, lives as cfg). */
const fm_config_dedup *fm_config_get_dedup(const fm_config *cfg);

/** Returns how many [output NAME] sections there are. */
size_t fm_config_output_count(const fm_config *cfg);

/** Returns output i (0-based, file order; borrowed, lives as cfg). */
const fm_config_output *fm_config_output_at(const fm_config *cfg, size_t i);

/** Returns how many [feed NAME] sections there are, enabled or not. */
size_t fm_config_feed_count(const fm_config *cfg);

/** Returns feed i (0-based, file order; borrowed, lives as cfg). */
const fm_config_feed *fm_config_feed_at(const fm_config *cfg, size_t i);

/** Returns the feed called name (borrowed, lives as cfg), or NULL. */
const fm_config_feed *fm_config_feed_find(const fm_config *cfg, const char *name);

/**
 * Applies a feed's include and exclude patterns to an item.
 * @param title the item's title, or NULL
 * @param text  the item's plain text, or NULL
 * @return 1 when the item is kept (include matches title or text, or there
 *         is no include; and exclude matches neither), else 0.
 */
int fm_config_feed_wants(const fm_config_feed *feed, const char *title, const char *text);

/** Returns 1 when output o takes feed f (named in its feeds, or in one of its groups, or it names neither), else 0. */
int fm_config_output_selects(const fm_config_output *o, const fm_config_feed *f);

/** Like fm_config_feed_wants(), with the output's include and exclude: 1 when the item is kept. */
int fm_config_output_wants(const fm_config_output *o, const char *title, const char *text);

/** Returns 1 when some feed of cfg is in group name, else 0. */
int fm_config_group_used(const fm_config *cfg, const char *name);

/** Room fm_config_duration_format() and fm_config_size_format() need. */
#define FM_CONFIG_UNIT_BUFSZ 32

/** Writes seconds in the largest unit that divides them ("15m", "0s") into out; returns out. */
char *fm_config_duration_format(char out[FM_CONFIG_UNIT_BUFSZ], int64_t seconds);

/** Writes bytes in the largest unit that divides them ("16M", "100") into out; returns out. */
char *fm_config_size_format(char out[FM_CONFIG_UNIT_BUFSZ], uint64_t bytes);

/** Returns the name of a format: "atom", "rss", "json" or "html" (static). */
const char *fm_config_format_name(fm_config_format format);

/** Returns the name of an identity: "guid", "link" or "title+date" (static). */
const char *fm_config_identity_name(fm_config_identity identity);

#endif
