/* render.c - picks the writer for an output's format; renders and writes a file. */
#include "output/output_int.h"
#include "feedmerge/error.h"

#include <assert.h>

int
fm_output_render(fm_buf *out, const fm_config_output *cfg,
		 const fm_entry *entries, size_t n)
{
	fm__outw w = { out, FM_BUF_INIT, FM_BUF_INIT, 0 };
	size_t i, size = out->size;

	assert(n == 0 || entries);
	for (i = 0; i < n; i++)
		assert(entries[i].id && entries[i].members && entries[i].nmembers > 0);
	switch (cfg->format) {
	case FM_OUTPUT_ATOM: fm__output_atom(&w, cfg, entries, n); break;
	case FM_OUTPUT_RSS: fm__output_rss(&w, cfg, entries, n); break;
	case FM_OUTPUT_JSON: fm__output_json(&w, cfg, entries, n); break;
	case FM_OUTPUT_HTML: fm__output_html(&w, cfg, entries, n); break;
	default:
		assert(0 && "unknown output format");
		return FM_EINVAL;
	}
	fm_buf_dispose(&w.scratch);
	fm_buf_dispose(&w.iri);
	if (w.error && out->ptr) {
		/* Leave out as it was: no half document. */
		out->size = size;
		out->ptr[size] = '\0';
	}
	return w.error;
}

int
fm_output_write(const fm_config_output *cfg, const fm_entry *entries,
		size_t n, int *written, fm_diag *diag)
{
	fm_buf text = FM_BUF_INIT;
	int error;

	if (written)
		*written = 0;
	if ((error = fm_output_render(&text, cfg, entries, n)) < 0) {
		fm_diag_set(diag, 0, 0, "%s: cannot render the %s feed: %s", cfg->path,
			    fm_config_format_name(cfg->format), fm_strerror(error));
		goto out;
	}
	error = fm_output_replace(cfg->path, text.ptr ? text.ptr : "", text.size,
				  written, diag);
out:
	fm_buf_dispose(&text);
	return error;
}
