/* pass.c - the outcome of the last pass, kept for `status` and a daemon's /healthz. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

int
fm_store_pass_put(fm_store *st, const fm_store_pass *p)
{
	sqlite3_stmt *s = store__stmt(st, STMT_PASS_PUT);

	if (!s)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, p->started);
	sqlite3_bind_int64(s, 2, p->finished);
	sqlite3_bind_int(s, 3, p->status);
	store__bind_str(s, 4, p->summary ? p->summary : "");
	return store__step_done(s);
}

int
fm_store_pass_get(fm_store *st, fm_store_pass *out)
{
	sqlite3_stmt *s;
	int rc, err = 0;

	memset(out, 0, sizeof *out);
	if (!(s = store__stmt(st, STMT_PASS_GET))) {
		/* A state no pass of this version has migrated yet has no record. */
		return strstr(sqlite3_errmsg(st->db), "no such table") ? FM_EINVAL : FM_EIO;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->started = sqlite3_column_int64(s, 0);
		out->finished = sqlite3_column_int64(s, 1);
		out->status = sqlite3_column_int(s, 2);
		out->summary = store__col_dup(s, 3, &err);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return FM_EINVAL;
	if (rc != SQLITE_ROW)
		return FM_EIO;
	return err;
}

void
fm_store_pass_clear(fm_store_pass *p)
{
	if (!p)
		return;
	free(p->summary);
	memset(p, 0, sizeof *p);
}
