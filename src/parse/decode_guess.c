/*
 * decode_guess.c - guessing the charset of a document that names none.
 *
 * A document without a BOM, an HTTP charset or an encoding in its XML
 * declaration is UTF-8 (RFC 7303 section 3). When its first bytes are not
 * UTF-8 after all, they are usually in the legacy charset of the writer's
 * language: EUC-KR, Shift_JIS, Big5, KOI8-R... Reading them as
 * windows-1252 (decode.c's repair for stray bytes) turns a whole Korean
 * feed into mojibake, so this file looks at the bytes and names the
 * charset when the evidence is strong; decode.c then flags the document
 * bozo, since a guess is a guess.
 *
 * The evidence, for each candidate charset: the bytes must decode without
 * an invalid sequence, and most of the characters beyond ASCII must be
 * common in the candidate's language (its script's letters, or the most
 * frequent characters for the large CJK sets, where a wrong charset still
 * decodes to valid but random characters). Latin text with a few accented
 * letters (a windows-1252 document) is left alone: its non-ASCII bytes
 * sit inside words of ASCII letters, where those of another script do
 * not. The frequency lists are ours, written from the languages' well
 * known most common characters; they need not be exact, only far more
 * likely in real text than in the wrong decoding.
 */
#include "parse/decode_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Full-width punctuation CJK text is full of. */
#define GUESS_CJK_PUNCT "\xe3\x80\x81\xe3\x80\x82\xef\xbc\x8c\xef\xbc\x9a\xef\xbc\x9b\xef\xbc\x81" \
	"\xef\xbc\x9f\xef\xbc\x88\xef\xbc\x89\xe3\x80\x8c\xe3\x80\x8d\xe3\x80\x8e\xe3\x80\x8f" \
	"\xe3\x80\x8a\xe3\x80\x8b\xe2\x80\xa6\xe2\x80\x94"

/* The most common simplified Chinese characters, and their traditional forms. */
#define GUESS_ZH_HANS \
	"的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过" \
	"发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前" \
	"开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重" \
	"并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常" \
	"先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报" \
	"才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基书" \
	"非则听白界达光放强即像难且权思王完设式色路记南品住告类求据程北边张该交规万取格望觉术领共确传师" \
	"观清今切院让识候带导争运改收根造言联持组每济车亲极服快办议往元英证近转令准布始怎存未远台单影具" \
	"字爱流备连调深商算质团集百需价花党华城级整府况亚请技际约示复息究线官断精满支视消器容照增研写称" \
	"企功包片史委查易早除农找装广显标谈图引历首医局专费号另周较注语仅考选列红响推势参希众构房半节投" \
	"某案维划致律态护兴验责营星章音志底站严例防族供效续施留讲型料终答紧黄绝察京段依批群项故按河围江" \
	"织客纪采举攻密低朝友诉止细愿值钱网热助育属限职速刻乐否刚状率独球般普校创假错承印试股预益阳若微" \
	"继送急药适省初喜卫源食险待述陆习置居劳财环排福纳欢警获模充负云停游龙树层范演简罪判担州静退积余" \
	"检差富协角配修胜降阶审善读超免压银买养执副乱帮宣航优香著田铁控税份艺背草概块顿守酒岛户洋款评版" \
	"宝座释景顾登货互付换闻危核介讨良序升监临永味野架域括编测败温困渐封救贵缺楼县移朋画班智短恐遗固" \
	"席秘谢遇康虑幸均销钟诗藏剧票损旧端探湖录春乡附吸礼港板庭妇归额含顺输招婚补谓督油疗旅材笔词圣择" \
	"博授诺健堂借禁园避荣镇练篇馆础卷宁纸训私祖翻暴熟访典软欲盘扩雄稳亿拥赛趣曲虚析购替努途侵刑绿套" \
	"贸毕唯轮库迹竞街促延震伟申潜售哲络植纯页筑秀混振盛舞圆措残培迷诚宽宇摆盟末"
#define GUESS_ZH_HANT \
	"的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過" \
	"發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前" \
	"開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重" \
	"並物手應戰向頭文體政美相見被利什二等產或新己制身果加西斯月話合回特代內信表化老給世位次度門任常" \
	"先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活爾更別打女變四神總何電數安少報" \
	"才結反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬科司五基書" \
	"非則聽白界達光放強即像難且權思王完設式色路記南品住告類求據程北邊張該交規萬取格望覺術領共確傳師" \
	"觀清今切院讓識候帶導爭運改收根造言聯持組每濟車親極服快辦議往元英證近轉令準布始怎存未遠台單影具" \
	"字愛流備連調深商算質團集百需價花黨華城級整府況亞請技際約示復息究線官斷精滿支視消器容照增研寫稱" \
	"企功包片史委查易早除農找裝廣顯標談圖引歷首醫局專費號另周較注語僅考選列紅響推勢參希眾構房半節投" \
	"某案維劃致律態護興驗責營星章音志底站嚴例防族供效續施留講型料終答緊黃絕察京段依批群項故按河圍江" \
	"織客紀採舉攻密低朝友訴止細願值錢網熱助育屬限職速刻樂否剛狀率獨球般普校創假錯承印試股預益陽若微" \
	"繼送急藥適省初喜衛源食險待述陸習置居勞財環排福納歡警獲模充負雲停遊龍樹層範演簡罪判擔州靜退積餘" \
	"檢差富協角配修勝降階審善讀超免壓銀買養執副亂幫宣航優香田鐵控稅份藝背草概塊頓守酒島戶洋款評版" \
	"寶座釋景顧登貨互付換聞危核介討良序升監臨永味野架域括編測敗溫困漸封救貴缺樓縣移朋畫班智短恐遺固" \
	"席秘謝遇康慮幸均銷鐘詩藏劇票損舊端探湖錄春鄉附吸禮港板庭婦歸額含順輸招婚補謂督油療旅材筆詞聖擇" \
	"博授諾健堂借禁園避榮鎮練篇館礎卷寧紙訓私祖翻暴熟訪典軟欲盤擴雄穩億擁賽趣曲虛析購替努途侵刑綠套" \
	"貿畢唯輪庫跡競街促延震偉申潛售哲絡植純頁築秀混振盛舞圓措殘培迷誠寬宇擺盟末您希望助"
/* Kana are counted as a range; these are the most common kanji. */
#define GUESS_JA_KANJI \
	"日本人年月時分行出会社中大上下国語事見今前後気自手生思何私方間者部内合当長新話入言地" \
	"実発作家子学業外記開関場所一二三十方同最目高"
/* The most common Hangul syllables. */
#define GUESS_KO \
	"이다는의에을하가고한로지기서리도사자니들어를나있습대수시인정일보아으해부게주라전요것상만제성" \
	"과국되우그장여면적와원회은야께내마러화경동공세비계문소중할데말개신없된구무실통결때또서울민" \
	"용방위생학연같물관업체예더저치까며분발행선"

/* The most common letters of Russian, Hebrew and Thai. */
#define GUESS_RU "оеаинтсрвлкмдпуяыь"
#define GUESS_HE "יוהלארתבמשנםעכד"
#define GUESS_TH "านรอกเงมยลวดทสตะคไบั่้ีิหขแจปพืุโใ"

/* A candidate: how to decode, its common characters (UTF-8) and up to two ranges of them. */
typedef struct guess_cand {
	struct decode_cs cs;
	const char *common;
	uint32_t range[2][2];
} guess_cand;

static const guess_cand guess_cands[] = {
	{ { DK_MB, "euc-kr", "CP949" }, GUESS_KO, { { 0, 0 }, { 0, 0 } } },
	{ { DK_MB, "shift_jis", "CP932" }, GUESS_JA_KANJI GUESS_CJK_PUNCT, { { 0x3041, 0x3096 }, { 0x30a1, 0x30fc } } },
	{ { DK_MB, "euc-jp", "EUC-JP" }, GUESS_JA_KANJI GUESS_CJK_PUNCT, { { 0x3041, 0x3096 }, { 0x30a1, 0x30fc } } },
	{ { DK_MB, "gb2312", "GB18030" }, GUESS_ZH_HANS GUESS_CJK_PUNCT, { { 0, 0 }, { 0, 0 } } },
	{ { DK_MB, "big5", "CP950" }, GUESS_ZH_HANT GUESS_CJK_PUNCT, { { 0, 0 }, { 0, 0 } } },
	/*
	 * The most common Russian letters, lower case: KOI8-R read as
	 * windows-1251 or the other way round is upper case.
	 */
	{ { DK_SB, "koi8-r", "KOI8-R" }, GUESS_RU, { { 0, 0 }, { 0, 0 } } },
	{ { DK_SB, "windows-1251", "CP1251" }, GUESS_RU, { { 0, 0 }, { 0, 0 } } },
	/* The most common Hebrew letters, and Thai letters and marks. */
	{ { DK_SB, "windows-1255", "CP1255" }, GUESS_HE, { { 0, 0 }, { 0, 0 } } },
	{ { DK_SB, "tis-620", "TIS-620" }, GUESS_TH, { { 0, 0 }, { 0, 0 } } },
};

/* A guess needs this many characters beyond ASCII, this share of them common. */
#define GUESS_MIN_CHARS 8
#define GUESS_MIN_SHARE 0.5

/* Returns the next code point of UTF-8 *s (advancing it), 0 at its end. */
static uint32_t
guess_utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = *p;
	int n = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;

	if (!c)
		return 0;
	if (n)
		c &= 0x3f >> n;
	for (p++; n-- > 0 && (*p & 0xc0) == 0x80; p++)
		c = c << 6 | (*p & 0x3f);
	*s = p;
	return c;
}

/* Thai vowels and tone marks written above or below a consonant (TIS-620 D1, D4-DA, E7-EE). */
static int
guess_thai_mark(uint32_t c)
{
	return c == 0xe31 || (c >= 0xe34 && c <= 0xe3a) || (c >= 0xe47 && c <= 0xe4e);
}

/* What such a mark may follow: a consonant, or another mark (a tone mark over a vowel). */
static int
guess_thai_base(uint32_t c)
{
	return (c >= 0xe01 && c <= 0xe2e) || guess_thai_mark(c);
}

/* qsort/bsearch comparator for code points. */
static int
guess_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Returns the share of the non-ASCII characters of u[0..n) that are
 * common for candidate c, or -1 when there are too few to say.
 */
static double
guess_share(const guess_cand *c, const uint32_t *u, size_t n)
{
	uint32_t set[1200];
	const unsigned char *s = (const unsigned char *)c->common;
	size_t nset = 0, i, wide = 0, hits = 0;
	uint32_t cp;
	int r;

	while (nset < sizeof(set) / sizeof(set[0]) && (cp = guess_utf8_next(&s)))
		set[nset++] = cp;
	qsort(set, nset, sizeof(set[0]), guess_cmp);
	for (i = 0; i < n; i++) {
		if (u[i] < 0x80)
			continue;
		wide++;
		if (c->cs.kind == DK_SB && guess_thai_mark(u[i]) && (i == 0 || !guess_thai_base(u[i - 1])))
			continue; /* a Thai vowel or tone mark written on no consonant: not Thai */
		for (r = 0; r < 2; r++)
			if (u[i] >= c->range[r][0] && u[i] <= c->range[r][1])
				break;
		if (r < 2 || bsearch(&u[i], set, nset, sizeof(set[0]), guess_cmp))
			hits++;
	}
	return wide < GUESS_MIN_CHARS ? -1 : (double)hits / (double)wide;
}

/*
 * Decodes h[0..n) with candidate c into u (up to max code points); returns
 * how many, or 0 when the bytes hold a sequence invalid in c. A sequence
 * cut by the end of the bytes is fine: they are a document's first bytes.
 */
static size_t
guess_decode(const guess_cand *c, const unsigned char *h, size_t n, uint32_t *u, size_t max)
{
	iconv_t cd = iconv_open("UTF-32LE", c->cs.iconv);
	char *in = (char *)h, *out = (char *)u;
	size_t inleft = n, outleft = max * sizeof(*u), got;
	int ok = 1;

	if (cd == (iconv_t)-1)
		return 0;
	if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1 && errno != EINVAL)
		ok = 0;
	iconv_close(cd);
	got = (max * sizeof(*u) - outleft) / sizeof(*u);
	for (size_t i = 0; ok && i < got; i++) /* little-endian code points, read portably */
		u[i] = (uint32_t)((const unsigned char *)&u[i])[0] |
		       (uint32_t)((const unsigned char *)&u[i])[1] << 8 |
		       (uint32_t)((const unsigned char *)&u[i])[2] << 16;
	return ok ? got : 0;
}

/*
 * Returns 1 when h[0..n) reads as Latin text: most runs of non-ASCII bytes
 * are one or two bytes (an accented letter, a curly quote) touching an
 * ASCII letter ("caf\xe9", "na\xefve"). Other scripts write whole words
 * of non-ASCII bytes.
 */
static int
guess_latin(const unsigned char *h, size_t n)
{
	size_t i = 0, j, runs = 0, latin = 0;

#define GUESS_ALPHA(c) (((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z')
	while (i < n) {
		if (h[i] < 0x80) {
			i++;
			continue;
		}
		for (j = i; j < n && h[j] >= 0x80; j++)
			;
		runs++;
		if (j - i <= 2 && ((i > 0 && GUESS_ALPHA(h[i - 1])) || (j < n && GUESS_ALPHA(h[j]))))
			latin++;
		i = j;
	}
#undef GUESS_ALPHA
	return latin * 2 > runs;
}

int
fm__decode_guess(struct decode_cs *out, const unsigned char *h, size_t n)
{
	uint32_t *u;
	double best = GUESS_MIN_SHARE, share;
	size_t i, got;
	int found = 0;

	if (guess_latin(h, n) || !(u = malloc((n + 1) * sizeof(*u))))
		return 0;
	for (i = 0; i < sizeof(guess_cands) / sizeof(guess_cands[0]); i++) {
		if (!(got = guess_decode(&guess_cands[i], h, n, u, n + 1)))
			continue;
		share = guess_share(&guess_cands[i], u, got);
		if (share > best || (!found && share >= best)) {
			best = share;
			*out = guess_cands[i].cs;
			found = 1;
		}
	}
	free(u);
	return found;
}
