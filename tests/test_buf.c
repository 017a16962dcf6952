/* test_buf.c - growable buffers. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"

Test(buf, append_grows_and_terminates)
{
	fm_buf b = FM_BUF_INIT;
	int i;

	for (i = 0; i < 1000; i++)
		cr_assert_eq(fm_buf_append(&b, "abc", 3), 0);
	cr_assert_eq(b.size, 3000);
	cr_assert_eq(b.ptr[3000], '\0');
	cr_assert_eq(strncmp(b.ptr + 2997, "abc", 3), 0);
	fm_buf_dispose(&b);
	cr_assert_null(b.ptr);
}

Test(buf, clear_keeps_memory_and_cstr_is_never_null)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_str_eq(fm_buf_cstr(&b), "");
	fm_buf_printf(&b, "%d-%s", 42, "x");
	cr_assert_str_eq(fm_buf_cstr(&b), "42-x");
	fm_buf_clear(&b);
	cr_assert_neq(b.asize, 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "");
	fm_buf_dispose(&b);
}

Test(buf, grow_refuses_overflow)
{
	fm_buf b = FM_BUF_INIT;

	fm_buf_putc(&b, 'x');
	cr_assert_eq(fm_buf_grow(&b, (size_t)-1), FM_ENOMEM);
	cr_assert_str_eq(fm_buf_cstr(&b), "x");
	free(fm_buf_detach(&b));
	cr_assert_null(b.ptr);
}
