/* itemcopy.c - deep copies of items in one allocation each. */
#include "run/itemcopy.h"

#include <stdlib.h>
#include <string.h>

/* Bytes a string takes in the block (0 for NULL). */
static size_t
str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s to *tail and advances it; returns the copy, NULL for NULL. */
static const char *
str_put(char **tail, const char *s)
{
	size_t n;
	char *c = *tail;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(c, s, n);
	*tail += n;
	return c;
}

fm_item *
fm__item_copy(const fm_item *item)
{
	size_t size = sizeof(fm_item), strs = 0, i;
	fm_item *c;
	const char **cats;
	fm_enclosure *encs;
	char *tail;

	/* Layout: the item, the category pointers, the enclosures, then every string. */
	size += item->ncategories * sizeof(char *) + item->nenclosures * sizeof(fm_enclosure);
	strs += str_size(item->id) + str_size(item->title) + str_size(item->link);
	strs += str_size(item->author.name) + str_size(item->author.email) + str_size(item->author.uri);
	strs += str_size(item->summary) + str_size(item->content) + str_size(item->feed);
	strs += str_size(fm_item_title_html(item));
	for (i = 0; i < item->ncategories; i++)
		strs += str_size(item->categories[i]);
	for (i = 0; i < item->nenclosures; i++)
		strs += str_size(item->enclosures[i].url) + str_size(item->enclosures[i].type) +
			str_size(item->enclosures[i].length);
	if (!(c = malloc(size + strs)))
		return NULL;
	*c = *item;
	cats = (const char **)(c + 1);
	encs = (fm_enclosure *)(cats + item->ncategories);
	tail = (char *)(encs + item->nenclosures);
	c->id = str_put(&tail, item->id);
	c->title = str_put(&tail, item->title);
	c->link = str_put(&tail, item->link);
	c->author.name = str_put(&tail, item->author.name);
	c->author.email = str_put(&tail, item->author.email);
	c->author.uri = str_put(&tail, item->author.uri);
	c->summary = str_put(&tail, item->summary);
	c->content = str_put(&tail, item->content);
	c->feed = str_put(&tail, item->feed);
	/*
	 * The details keep what the writers use: the title's HTML when it has
	 * markup (else the plain title), the text's types. Bases, languages
	 * and the lists beyond categories and enclosures are not copied.
	 */
	memset(&c->title_detail, 0, sizeof(c->title_detail));
	if ((c->title_detail.value = str_put(&tail, fm_item_title_html(item))))
		c->title_detail.type = item->title_detail.type;
	else
		c->title_detail.value = c->title;
	memset(&c->subtitle_detail, 0, sizeof(c->subtitle_detail));
	c->summary_detail.value = c->summary;
	c->summary_detail.base = c->summary_detail.language = NULL;
	c->content_detail.value = c->content;
	c->content_detail.base = c->content_detail.language = NULL;
	c->tags = NULL;
	c->authors = c->contributors = NULL;
	c->nauthors = c->ncontributors = 0;
	c->links = NULL;
	c->nlinks = 0;
	c->published_text = c->updated_text = c->language = NULL;
	for (i = 0; i < item->ncategories; i++)
		cats[i] = str_put(&tail, item->categories[i]);
	for (i = 0; i < item->nenclosures; i++) {
		encs[i].url = str_put(&tail, item->enclosures[i].url);
		encs[i].type = str_put(&tail, item->enclosures[i].type);
		encs[i].length = str_put(&tail, item->enclosures[i].length);
	}
	c->categories = item->ncategories ? cats : NULL;
	c->enclosures = item->nenclosures ? encs : NULL;
	return c;
}
