/* fpcode.h - a fingerprint as the compact blob the state keeps (internal to the store). */
#ifndef FM_STORE_FPCODE_H
#define FM_STORE_FPCODE_H

#include "feedmerge/fingerprint.h"

#include <stddef.h>

/*
 * Byte 0 is STORE_FP_CODE_V2; then LEB128 words, shingles, flags, nsketch
 * and ntitle; a byte saying whether a link hash follows; the title SimHash
 * (u64 LE) and the link hash (u64 LE) when there is one; then the sketch
 * and the headline word hashes, each a list: a byte k and the gaps between
 * ascending values Rice-coded with parameter k (LSB first, padded to a
 * byte), or k = 0xff and the values as u32 LE when they do not ascend.
 * The sketch keeps the smallest hashes of a story's 3-grams, so its gaps
 * are about 2^32 / shingles: 25-28 bits a hash, not 32.
 */
#define STORE_FP_CODE_V2 0xf2
/* The longest blob store__fp_encode() writes. */
#define STORE_FP_CODE_MAX (1 + 5 * 5 + 1 + 16 + 2 * 2 + 4 * (FM_FP_SKETCH + FM_FP_TITLE_WORDS) + 64)

/* Writes fp (its simhash aside: a column of its own) into out; returns the bytes written. */
size_t store__fp_encode(unsigned char out[STORE_FP_CODE_MAX], const fm_fingerprint *fp);

/* Reads a blob store__fp_encode() wrote into fp (simhash 0); returns 0 or FM_EINVAL when malformed. */
int store__fp_decode(fm_fingerprint *fp, const unsigned char *b, size_t len);

#endif
