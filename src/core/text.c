/*
 * text.c - the UTF-8 utilities the rest of jixiao shares: validation and
 * decoding, folding of full-width forms and stray spaces (so that "≥ ９５％"
 * and "≥95%" are one value), trimming, counting and cutting at character
 * boundaries, the width of text in a terminal for the CLI's tables, and the
 * check of a "YYYY-MM-DD" date that the store and the web API share.
 *
 * The width tables are generated from Unicode 14 (East Asian Width W and F;
 * general categories Mn and Me plus the zero-width format characters).
 * This module deliberately does no normalisation (NFC/NFKC), no case
 * folding, no locale and no allocation: callers pass their own buffers.
 */
#include <string.h>

#include "jx/text.h"

struct range {
	int32_t lo, hi;
};

/* East Asian Wide (W) and Fullwidth (F): two columns. Unassigned code
 * points between two wide ones are folded into the range. */
static const struct range wide_tab[] = {
        {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},
        {0x23E9, 0x23EC},   {0x23F0, 0x23F0},   {0x23F3, 0x23F3},
        {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},
        {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
        {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
        {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},
        {0x26F2, 0x26F3},   {0x26F5, 0x26F5},   {0x26FA, 0x26FA},
        {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
        {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},
        {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
        {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},
        {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
        {0x3041, 0x3247},   {0x3250, 0x4DBF},   {0x4E00, 0xA4C6},
        {0xA960, 0xA97C},   {0xAC00, 0xD7A3},   {0xF900, 0xFAD9},
        {0xFE10, 0xFE19},   {0xFE30, 0xFE6B},   {0xFF01, 0xFF60},
        {0xFFE0, 0xFFE6},   {0x16FE0, 0x1B2FB}, {0x1F004, 0x1F004},
        {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
        {0x1F200, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C},
        {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3},
        {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E},
        {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D},
        {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A},
        {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F},
        {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2},
        {0x1F6D5, 0x1F6DF}, {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC},
        {0x1F7E0, 0x1F7F0}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
        {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAF6}, {0x20000, 0x3FFFD},
};

/* Nonspacing and enclosing marks, Hangul medial vowels and final
 * consonants, and zero-width format characters: no column. */
static const struct range zero_tab[] = {
        {0x300, 0x36F},     {0x483, 0x489},     {0x591, 0x5BD},
        {0x5BF, 0x5BF},     {0x5C1, 0x5C2},     {0x5C4, 0x5C5},
        {0x5C7, 0x5C7},     {0x610, 0x61A},     {0x64B, 0x65F},
        {0x670, 0x670},     {0x6D6, 0x6DC},     {0x6DF, 0x6E4},
        {0x6E7, 0x6E8},     {0x6EA, 0x6ED},     {0x711, 0x711},
        {0x730, 0x74A},     {0x7A6, 0x7B0},     {0x7EB, 0x7F3},
        {0x7FD, 0x7FD},     {0x816, 0x819},     {0x81B, 0x823},
        {0x825, 0x827},     {0x829, 0x82D},     {0x859, 0x85B},
        {0x898, 0x89F},     {0x8CA, 0x8E1},     {0x8E3, 0x902},
        {0x93A, 0x93A},     {0x93C, 0x93C},     {0x941, 0x948},
        {0x94D, 0x94D},     {0x951, 0x957},     {0x962, 0x963},
        {0x981, 0x981},     {0x9BC, 0x9BC},     {0x9C1, 0x9C4},
        {0x9CD, 0x9CD},     {0x9E2, 0x9E3},     {0x9FE, 0xA02},
        {0xA3C, 0xA3C},     {0xA41, 0xA51},     {0xA70, 0xA71},
        {0xA75, 0xA75},     {0xA81, 0xA82},     {0xABC, 0xABC},
        {0xAC1, 0xAC8},     {0xACD, 0xACD},     {0xAE2, 0xAE3},
        {0xAFA, 0xB01},     {0xB3C, 0xB3C},     {0xB3F, 0xB3F},
        {0xB41, 0xB44},     {0xB4D, 0xB56},     {0xB62, 0xB63},
        {0xB82, 0xB82},     {0xBC0, 0xBC0},     {0xBCD, 0xBCD},
        {0xC00, 0xC00},     {0xC04, 0xC04},     {0xC3C, 0xC3C},
        {0xC3E, 0xC40},     {0xC46, 0xC56},     {0xC62, 0xC63},
        {0xC81, 0xC81},     {0xCBC, 0xCBC},     {0xCBF, 0xCBF},
        {0xCC6, 0xCC6},     {0xCCC, 0xCCD},     {0xCE2, 0xCE3},
        {0xD00, 0xD01},     {0xD3B, 0xD3C},     {0xD41, 0xD44},
        {0xD4D, 0xD4D},     {0xD62, 0xD63},     {0xD81, 0xD81},
        {0xDCA, 0xDCA},     {0xDD2, 0xDD6},     {0xE31, 0xE31},
        {0xE34, 0xE3A},     {0xE47, 0xE4E},     {0xEB1, 0xEB1},
        {0xEB4, 0xEBC},     {0xEC8, 0xECD},     {0xF18, 0xF19},
        {0xF35, 0xF35},     {0xF37, 0xF37},     {0xF39, 0xF39},
        {0xF71, 0xF7E},     {0xF80, 0xF84},     {0xF86, 0xF87},
        {0xF8D, 0xFBC},     {0xFC6, 0xFC6},     {0x102D, 0x1030},
        {0x1032, 0x1037},   {0x1039, 0x103A},   {0x103D, 0x103E},
        {0x1058, 0x1059},   {0x105E, 0x1060},   {0x1071, 0x1074},
        {0x1082, 0x1082},   {0x1085, 0x1086},   {0x108D, 0x108D},
        {0x109D, 0x109D},   {0x1160, 0x11FF},   {0x135D, 0x135F},
        {0x1712, 0x1714},   {0x1732, 0x1733},   {0x1752, 0x1753},
        {0x1772, 0x1773},   {0x17B4, 0x17B5},   {0x17B7, 0x17BD},
        {0x17C6, 0x17C6},   {0x17C9, 0x17D3},   {0x17DD, 0x17DD},
        {0x180B, 0x180D},   {0x180F, 0x180F},   {0x1885, 0x1886},
        {0x18A9, 0x18A9},   {0x1920, 0x1922},   {0x1927, 0x1928},
        {0x1932, 0x1932},   {0x1939, 0x193B},   {0x1A17, 0x1A18},
        {0x1A1B, 0x1A1B},   {0x1A56, 0x1A56},   {0x1A58, 0x1A60},
        {0x1A62, 0x1A62},   {0x1A65, 0x1A6C},   {0x1A73, 0x1A7F},
        {0x1AB0, 0x1B03},   {0x1B34, 0x1B34},   {0x1B36, 0x1B3A},
        {0x1B3C, 0x1B3C},   {0x1B42, 0x1B42},   {0x1B6B, 0x1B73},
        {0x1B80, 0x1B81},   {0x1BA2, 0x1BA5},   {0x1BA8, 0x1BA9},
        {0x1BAB, 0x1BAD},   {0x1BE6, 0x1BE6},   {0x1BE8, 0x1BE9},
        {0x1BED, 0x1BED},   {0x1BEF, 0x1BF1},   {0x1C2C, 0x1C33},
        {0x1C36, 0x1C37},   {0x1CD0, 0x1CD2},   {0x1CD4, 0x1CE0},
        {0x1CE2, 0x1CE8},   {0x1CED, 0x1CED},   {0x1CF4, 0x1CF4},
        {0x1CF8, 0x1CF9},   {0x1DC0, 0x1DFF},   {0x200B, 0x200F},
        {0x2060, 0x2064},   {0x20D0, 0x20F0},   {0x2CEF, 0x2CF1},
        {0x2D7F, 0x2D7F},   {0x2DE0, 0x2DFF},   {0x302A, 0x302D},
        {0x3099, 0x309A},   {0xA66F, 0xA672},   {0xA674, 0xA67D},
        {0xA69E, 0xA69F},   {0xA6F0, 0xA6F1},   {0xA802, 0xA802},
        {0xA806, 0xA806},   {0xA80B, 0xA80B},   {0xA825, 0xA826},
        {0xA82C, 0xA82C},   {0xA8C4, 0xA8C5},   {0xA8E0, 0xA8F1},
        {0xA8FF, 0xA8FF},   {0xA926, 0xA92D},   {0xA947, 0xA951},
        {0xA980, 0xA982},   {0xA9B3, 0xA9B3},   {0xA9B6, 0xA9B9},
        {0xA9BC, 0xA9BD},   {0xA9E5, 0xA9E5},   {0xAA29, 0xAA2E},
        {0xAA31, 0xAA32},   {0xAA35, 0xAA36},   {0xAA43, 0xAA43},
        {0xAA4C, 0xAA4C},   {0xAA7C, 0xAA7C},   {0xAAB0, 0xAAB0},
        {0xAAB2, 0xAAB4},   {0xAAB7, 0xAAB8},   {0xAABE, 0xAABF},
        {0xAAC1, 0xAAC1},   {0xAAEC, 0xAAED},   {0xAAF6, 0xAAF6},
        {0xABE5, 0xABE5},   {0xABE8, 0xABE8},   {0xABED, 0xABED},
        {0xFB1E, 0xFB1E},   {0xFE00, 0xFE0F},   {0xFE20, 0xFE2F},
        {0xFEFF, 0xFEFF},   {0x101FD, 0x101FD}, {0x102E0, 0x102E0},
        {0x10376, 0x1037A}, {0x10A01, 0x10A0F}, {0x10A38, 0x10A3F},
        {0x10AE5, 0x10AE6}, {0x10D24, 0x10D27}, {0x10EAB, 0x10EAC},
        {0x10F46, 0x10F50}, {0x10F82, 0x10F85}, {0x11001, 0x11001},
        {0x11038, 0x11046}, {0x11070, 0x11070}, {0x11073, 0x11074},
        {0x1107F, 0x11081}, {0x110B3, 0x110B6}, {0x110B9, 0x110BA},
        {0x110C2, 0x110C2}, {0x11100, 0x11102}, {0x11127, 0x1112B},
        {0x1112D, 0x11134}, {0x11173, 0x11173}, {0x11180, 0x11181},
        {0x111B6, 0x111BE}, {0x111C9, 0x111CC}, {0x111CF, 0x111CF},
        {0x1122F, 0x11231}, {0x11234, 0x11234}, {0x11236, 0x11237},
        {0x1123E, 0x1123E}, {0x112DF, 0x112DF}, {0x112E3, 0x112EA},
        {0x11300, 0x11301}, {0x1133B, 0x1133C}, {0x11340, 0x11340},
        {0x11366, 0x11374}, {0x11438, 0x1143F}, {0x11442, 0x11444},
        {0x11446, 0x11446}, {0x1145E, 0x1145E}, {0x114B3, 0x114B8},
        {0x114BA, 0x114BA}, {0x114BF, 0x114C0}, {0x114C2, 0x114C3},
        {0x115B2, 0x115B5}, {0x115BC, 0x115BD}, {0x115BF, 0x115C0},
        {0x115DC, 0x115DD}, {0x11633, 0x1163A}, {0x1163D, 0x1163D},
        {0x1163F, 0x11640}, {0x116AB, 0x116AB}, {0x116AD, 0x116AD},
        {0x116B0, 0x116B5}, {0x116B7, 0x116B7}, {0x1171D, 0x1171F},
        {0x11722, 0x11725}, {0x11727, 0x1172B}, {0x1182F, 0x11837},
        {0x11839, 0x1183A}, {0x1193B, 0x1193C}, {0x1193E, 0x1193E},
        {0x11943, 0x11943}, {0x119D4, 0x119DB}, {0x119E0, 0x119E0},
        {0x11A01, 0x11A0A}, {0x11A33, 0x11A38}, {0x11A3B, 0x11A3E},
        {0x11A47, 0x11A47}, {0x11A51, 0x11A56}, {0x11A59, 0x11A5B},
        {0x11A8A, 0x11A96}, {0x11A98, 0x11A99}, {0x11C30, 0x11C3D},
        {0x11C3F, 0x11C3F}, {0x11C92, 0x11CA7}, {0x11CAA, 0x11CB0},
        {0x11CB2, 0x11CB3}, {0x11CB5, 0x11CB6}, {0x11D31, 0x11D45},
        {0x11D47, 0x11D47}, {0x11D90, 0x11D91}, {0x11D95, 0x11D95},
        {0x11D97, 0x11D97}, {0x11EF3, 0x11EF4}, {0x16AF0, 0x16AF4},
        {0x16B30, 0x16B36}, {0x16F4F, 0x16F4F}, {0x16F8F, 0x16F92},
        {0x16FE4, 0x16FE4}, {0x1BC9D, 0x1BC9E}, {0x1CF00, 0x1CF46},
        {0x1D167, 0x1D169}, {0x1D17B, 0x1D182}, {0x1D185, 0x1D18B},
        {0x1D1AA, 0x1D1AD}, {0x1D242, 0x1D244}, {0x1DA00, 0x1DA36},
        {0x1DA3B, 0x1DA6C}, {0x1DA75, 0x1DA75}, {0x1DA84, 0x1DA84},
        {0x1DA9B, 0x1DAAF}, {0x1E000, 0x1E02A}, {0x1E130, 0x1E136},
        {0x1E2AE, 0x1E2AE}, {0x1E2EC, 0x1E2EF}, {0x1E8D0, 0x1E8D6},
        {0x1E944, 0x1E94A}, {0xE0100, 0xE01EF},
};

static bool in_table(int32_t cp, const struct range *t, size_t n);
static int cp_width(int32_t cp);
static bool is_fold_space(int32_t cp);
static bool is_ascii_space(unsigned char c);
static size_t trim_space_at(const char *s, size_t len);
static size_t trim_space_before(const char *s, size_t len);
static int32_t decode(const unsigned char *s, size_t n);
static bool may_fold(unsigned char lead);
static size_t skip_ascii(const unsigned char *u, size_t i, size_t len);

static bool
in_table(int32_t cp, const struct range *t, size_t n)
{
	size_t lo = 0, hi = n;

	if (cp < t[0].lo || cp > t[n - 1].hi)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp > t[mid].hi)
			lo = mid + 1;
		else if (cp < t[mid].lo)
			hi = mid;
		else
			return true;
	}
	return false;
}

static int
cp_width(int32_t cp)
{
	if (cp < 0x300)
		return cp == 0xAD ? 0 : 1;
	if (in_table(cp, zero_tab, sizeof(zero_tab) / sizeof(zero_tab[0])))
		return 0;
	if (in_table(cp, wide_tab, sizeof(wide_tab) / sizeof(wide_tab[0])))
		return 2;
	return 1;
}

static bool
is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Spaces that fold removes: NBSP, Ogham space, the U+2000 block's spaces
 * and zero-width space, narrow NBSP, medium math space, ideographic space,
 * and the byte-order mark. */
static bool
is_fold_space(int32_t cp)
{
	return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
	       cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* The code point of the well-formed sequence of n (2..4) bytes at s. */
static int32_t
decode(const unsigned char *s, size_t n)
{
	switch (n) {
	case 2:
		return (int32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	case 3:
		return (int32_t)(s[0] & 0x0F) << 12 |
		       (int32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	default:
		return (int32_t)(s[0] & 0x07) << 18 |
		       (int32_t)(s[1] & 0x3F) << 12 |
		       (int32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	}
}

/*
 * True when a character with this lead byte may be one that folding
 * changes: U+00A0 (lead 0xC2), U+1680 (0xE1), U+2000..U+205F (0xE2),
 * U+3000 (0xE3), U+FEFF and U+FF01..U+FF5E (0xEF). Everything else, CJK
 * ideographs (0xE4..0xE9) above all, is copied without being decoded.
 */
static bool
may_fold(unsigned char lead)
{
	return lead == 0xC2 || (lead >= 0xE1 && lead <= 0xE3) || lead == 0xEF;
}

/* The first index at or after i where u[0..len) holds a non-ASCII byte, or
 * len. Eight bytes at a time while no byte has its high bit set. */
static size_t
skip_ascii(const unsigned char *u, size_t i, size_t len)
{
	uint64_t x;

	while (len - i >= 8) {
		memcpy(&x, u + i, 8);
		if (x & UINT64_C(0x8080808080808080))
			break;
		i += 8;
	}
	while (i < len && u[i] < 0x80)
		i++;
	return i;
}

/* Bytes of trimmable space (ASCII, U+00A0, U+3000) at the start of s. */
static size_t
trim_space_at(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len >= 1 && is_ascii_space(u[0]))
		return 1;
	if (len >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (len >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/* Bytes of trimmable space that end s[0..len). */
static size_t
trim_space_before(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len >= 1 && is_ascii_space(u[len - 1]))
		return 1;
	if (len >= 2 && u[len - 2] == 0xC2 && u[len - 1] == 0xA0)
		return 2;
	if (len >= 3 && u[len - 3] == 0xE3 && u[len - 2] == 0x80 &&
	    u[len - 1] == 0x80)
		return 3;
	return 0;
}

int32_t
jx_text_utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t p = *i, n;

	if (p >= len)
		return -1;
	if (u[p] < 0x80) {
		*i = p + 1;
		return u[p];
	}
	n = jx_text_utf8_len(u + p, len - p);
	if (n == 0) {
		*i = p + 1;
		return -1;
	}
	*i = p + n;
	return decode(u + p, n);
}

bool
jx_text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	for (;;) {
		/* ASCII runs: a word at a time */
		i = skip_ascii(u, i, len);
		if (i == len)
			return true;
		i += jx_text_utf8_span(u + i, len - i, NULL);
		if (i < len && u[i] >= 0x80)
			return false;
	}
}

size_t
jx_text_utf8_put(int32_t cp, char *out)
{
	if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
jx_text_fold(const char *s, size_t len, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n = 0, k;
	size_t result = (size_t)-1;
	unsigned char c;
	int32_t cp;

	if (cap == 0)
		goto done;
	while (i < len) {
		c = u[i];
		if (c < 0x80) {
			if (!is_ascii_space(c)) {
				if (n + 1 >= cap)
					goto done;
				out[n++] = (char)c;
			}
			i++;
			continue;
		}
		k = jx_text_utf8_len(u + i, len - i);
		if (k == 0)
			goto done;
		if (may_fold(c)) {
			cp = decode(u + i, k);
			if (is_fold_space(cp)) {
				i += k;
				continue;
			}
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				/* Full-width ASCII, including ％ （ ）. */
				if (n + 1 >= cap)
					goto done;
				out[n++] = (char)(cp - 0xFEE0);
				i += k;
				continue;
			}
		}
		if (n + k >= cap)
			goto done;
		while (k-- > 0)
			out[n++] = (char)u[i++];
	}
	out[n] = '\0';
	result = n;
done:
	return result;
}

size_t
jx_text_utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
jx_text_utf8_cut(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = len, need, keep = len;

	/* Walk back over continuation bytes to the lead byte. */
	while (i > 0 && (u[i - 1] & 0xC0) == 0x80 && len - i < 3)
		i--;
	if (i > 0 && u[i - 1] >= 0x80) {
		need = u[i - 1] >= 0xF0 ? 4 : u[i - 1] >= 0xE0 ? 3 : 2;
		if (len - (i - 1) < need)
			keep = i - 1;
	}
	return keep;
}

bool
jx_text_ascii_ieq(const char *a, const char *b)
{
	unsigned char x, y;

	for (;; a++, b++) {
		x = (unsigned char)*a;
		y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (x == '\0')
			return true;
	}
}

void
jx_text_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len, k;

	while ((k = trim_space_at(p, n)) > 0) {
		p += k;
		n -= k;
	}
	while ((k = trim_space_before(p, n)) > 0)
		n -= k;
	*s = p;
	*len = n;
}

size_t
jx_text_width(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, cols = 0;
	int32_t cp;

	while (i < len) {
		if (u[i] < 0x80) {
			cols++;
			i++;
			continue;
		}
		cp = jx_text_utf8_next(s, len, &i);
		cols += cp < 0 ? 1 : (size_t)cp_width(cp);
	}
	return cols;
}

size_t
jx_text_clip(const char *s, size_t len, size_t cols, char *out, size_t cap,
             size_t *used_cols)
{
	size_t i = 0, n = 0, used = 0, start, w;
	int32_t cp;

	if (cap == 0)
		goto done;
	while (i < len) {
		start = i;
		cp = jx_text_utf8_next(s, len, &i);
		w = cp < 0 ? 1 : (size_t)cp_width(cp);
		/* Marks after the last character stay with it if they fit. */
		if (used + w > cols || n + (i - start) > cap - 1)
			break;
		memcpy(out + n, s + start, i - start);
		n += i - start;
		used += w;
	}
	out[n] = '\0';
done:
	if (used_cols != NULL)
		*used_cols = used;
	return n;
}

bool
jx_text_date(const char *s, int *y, int *m, int *dd)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int yy, mm, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	     (s[3] - '0');
	mm = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (yy < 1900 || mm < 1 || mm > 12 || d < 1 || d > mdays[mm - 1])
		return false;
	if (mm == 2 && d == 29 &&
	    !(yy % 4 == 0 && (yy % 100 != 0 || yy % 400 == 0)))
		return false;
	if (y != NULL)
		*y = yy;
	if (m != NULL)
		*m = mm;
	if (dd != NULL)
		*dd = d;
	return true;
}

uint64_t
jx_text_hash64(const char *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}
