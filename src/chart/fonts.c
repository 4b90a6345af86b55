/* fonts.c - FreeType text for the charts, fonts found by fontconfig.
 *
 * A pl_fonts is made once per renderer session (a chart child serves many
 * charts) and owns its FreeType library and fontconfig configuration, so
 * that sessions on different threads share nothing. Glyphs are placed by
 * their unhinted advances in font units, which makes a text as wide at
 * the PNG's doubled size as in the SVG; they are rendered at their
 * fractional pen position and blended over the supersampled image. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_ADVANCES_H
#include <fontconfig/fontconfig.h>
#include "chart/fonts.h"
#include "util/internal.h"

#define MAX_FALLBACKS 8
#define MAX_MISSING 64

struct pl_fonts {
    FT_Library lib;
    FcConfig *fc;
    FT_Face face[2];                    /* regular, bold */
    FT_Face fallback[MAX_FALLBACKS];    /* fontconfig's picks for what face[] lacks */
    char *fallback_file[MAX_FALLBACKS];
    size_t nfallback;
    unsigned missing[MAX_MISSING];      /* characters no font has: not asked again */
    size_t nmissing;
};

/* The next character of UTF-8 s (U+FFFD for a byte that starts none). */
static unsigned next_char(const unsigned char **s)
{
    const unsigned char *u = *s;
    unsigned cp;
    int len, i;
    if (u[0] < 0x80) { cp = u[0]; len = 1; }
    else if ((u[0] & 0xE0) == 0xC0) { cp = u[0] & 0x1Fu; len = 2; }
    else if ((u[0] & 0xF0) == 0xE0) { cp = u[0] & 0x0Fu; len = 3; }
    else if ((u[0] & 0xF8) == 0xF0) { cp = u[0] & 0x07u; len = 4; }
    else { *s = u + 1; return 0xFFFD; }
    for (i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *s = u + i;
            return 0xFFFD;
        }
        cp = cp << 6 | (u[i] & 0x3Fu);
    }
    *s = u + len;
    return cp;
}

/* The file fontconfig picks for pattern p, with a face index. */
static char *match_file(pl_fonts *f, FcPattern *p, unsigned need, int *index)
{
    FcResult res;
    FcPattern *m;
    FcChar8 *file = NULL;
    FcCharSet *cs = NULL;
    char *out = NULL;
    FcConfigSubstitute(f->fc, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    m = FcFontMatch(f->fc, p, &res);
    if (!m)
        return NULL;
    /* the best match need not have the character asked for */
    if (FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
        (!need || (FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch && FcCharSetHasChar(cs, need)))) {
        if (FcPatternGetInteger(m, FC_INDEX, 0, index) != FcResultMatch)
            *index = 0;
        out = pl_strdup((const char *)file);
    }
    FcPatternDestroy(m);
    return out;
}

static int open_face(pl_fonts *f, int bold, pl_error *err)
{
    FcPattern *p = FcPatternCreate();
    char *file;
    int index = 0;
    if (!p)
        return pl_err(err, PL_ENOMEM, "out of memory loading a font");
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)"DejaVu Sans");
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)"sans-serif");
    FcPatternAddInteger(p, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(p, FC_SLANT, FC_SLANT_ROMAN);
    file = match_file(f, p, 'a', &index);
    FcPatternDestroy(p);
    if (!file)
        return pl_err(err, PL_EUNSUPPORTED, "no font for chart text (install fonts-dejavu-core)");
    if (FT_New_Face(f->lib, file, index, &f->face[bold]) != 0) {
        int rc = pl_err(err, PL_EUNSUPPORTED, "%s: cannot load the font", file);
        free(file);
        f->face[bold] = NULL;
        return rc;
    }
    free(file);
    return PL_OK;
}

int pl_fonts_open(pl_fonts **out, pl_error *err)
{
    pl_fonts *f = calloc(1, sizeof *f);
    int rc;
    *out = NULL;
    if (!f)
        return pl_err(err, PL_ENOMEM, "out of memory loading fonts");
    if (FT_Init_FreeType(&f->lib) != 0) {
        free(f);
        return pl_err(err, PL_ENOMEM, "cannot start FreeType");
    }
    /* a configuration of our own: nothing global is changed or shared */
    if (!(f->fc = FcInitLoadConfigAndFonts())) {
        pl_fonts_close(f);
        return pl_err(err, PL_EUNSUPPORTED, "fontconfig found no configuration");
    }
    if ((rc = open_face(f, 0, err)) != PL_OK || (rc = open_face(f, 1, err)) != PL_OK) {
        pl_fonts_close(f);
        return rc;
    }
    *out = f;
    return PL_OK;
}

void pl_fonts_close(pl_fonts *f)
{
    size_t i;
    if (!f)
        return;
    for (i = 0; i < 2; i++)
        if (f->face[i])
            FT_Done_Face(f->face[i]);
    for (i = 0; i < f->nfallback; i++) {
        FT_Done_Face(f->fallback[i]);
        free(f->fallback_file[i]);
    }
    if (f->lib)
        FT_Done_FreeType(f->lib);
    if (f->fc)
        FcConfigDestroy(f->fc);
    free(f);
}

/* The face that has cp, and its glyph: the chosen face, a fallback loaded
 * before, or one fontconfig finds now; else the chosen face's "missing"
 * box. */
static FT_Face face_for(pl_fonts *f, int bold, unsigned cp, FT_UInt *glyph)
{
    FT_Face main = f->face[bold ? 1 : 0];
    size_t i;
    FcPattern *p;
    FcCharSet *cs;
    char *file = NULL;
    int index = 0;
    if ((*glyph = FT_Get_Char_Index(main, cp)) != 0 || cp < 0x20)
        return main;
    for (i = 0; i < f->nfallback; i++)
        if ((*glyph = FT_Get_Char_Index(f->fallback[i], cp)) != 0)
            return f->fallback[i];
    for (i = 0; i < f->nmissing; i++)
        if (f->missing[i] == cp)
            return main;
    if (f->nfallback < MAX_FALLBACKS && (p = FcPatternCreate()) != NULL) {
        if ((cs = FcCharSetCreate()) != NULL) {
            FcCharSetAddChar(cs, cp);
            FcPatternAddCharSet(p, FC_CHARSET, cs);
            FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)"sans-serif");
            file = match_file(f, p, cp, &index);
            FcCharSetDestroy(cs);
        }
        FcPatternDestroy(p);
    }
    if (file) {
        FT_Face face;
        for (i = 0; i < f->nfallback && strcmp(f->fallback_file[i], file) != 0; i++)
            ;
        if (i == f->nfallback && FT_New_Face(f->lib, file, index, &face) == 0) {
            f->fallback[f->nfallback] = face;
            f->fallback_file[f->nfallback++] = file;
            file = NULL;
            if ((*glyph = FT_Get_Char_Index(face, cp)) != 0)
                return face;
        }
        free(file);
    }
    if (f->nmissing < MAX_MISSING)
        f->missing[f->nmissing++] = cp;
    *glyph = 0;
    return main;
}

static double advance(FT_Face face, FT_UInt glyph, double px)
{
    FT_Fixed a = 0;
    if (FT_Get_Advance(face, glyph, FT_LOAD_NO_SCALE, &a) != 0)
        return 0;
    return (double)a * px / face->units_per_EM;
}

pl_font_metrics pl_fonts_metrics(pl_fonts *f, int bold, double px)
{
    FT_Face face = f->face[bold ? 1 : 0];
    const TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
    pl_font_metrics m;
    double em = face->units_per_EM;
    m.ascent = face->ascender * px / em;
    m.descent = -face->descender * px / em;
    m.cap = os2 && os2->version >= 2 && os2->sCapHeight > 0 ? os2->sCapHeight * px / em : 0.72 * px;
    return m;
}

double pl_fonts_width(pl_fonts *f, int bold, double px, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    double w = 0;
    while (*u) {
        FT_UInt g;
        FT_Face face = face_for(f, bold, next_char(&u), &g);
        w += advance(face, g, px);
    }
    return w;
}

void pl_fonts_draw(pl_fonts *f, unsigned char *rgb, int w, int h, double x, double y, int bold,
                   double px, int r, int g, int b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    const int col[3] = {r, g, b};
    double pen = x;
    int base = (int)lround(y);
    while (*u) {
        FT_UInt gi;
        unsigned cp = next_char(&u);
        FT_Face face = face_for(f, bold, cp, &gi);
        double fl = floor(pen);
        /* rendered at the pen's fraction of a pixel, placed at its whole */
        FT_Vector delta = {(FT_Pos)lround((pen - fl) * 64), 0};
        FT_GlyphSlot sl;
        int row, c, k;
        if (cp == ' ' || FT_Set_Char_Size(face, 0, (FT_F26Dot6)lround(px * 64), 72, 72) != 0) {
            pen += advance(face, gi, px);
            continue;
        }
        FT_Set_Transform(face, NULL, &delta);
        if (FT_Load_Glyph(face, gi, FT_LOAD_RENDER | FT_LOAD_NO_HINTING) == 0 &&
            face->glyph->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY) {
            sl = face->glyph;
            for (row = 0; row < (int)sl->bitmap.rows; row++) {
                int yy = base - sl->bitmap_top + row;
                const unsigned char *src = sl->bitmap.buffer + (ptrdiff_t)row * sl->bitmap.pitch;
                if (yy < 0 || yy >= h)
                    continue;
                for (c = 0; c < (int)sl->bitmap.width; c++) {
                    int xx = (int)fl + sl->bitmap_left + c, a = src[c];
                    unsigned char *d;
                    if (!a || xx < 0 || xx >= w)
                        continue;
                    d = rgb + ((size_t)yy * (size_t)w + (size_t)xx) * 3;
                    for (k = 0; k < 3; k++)
                        d[k] = (unsigned char)((d[k] * (255 - a) + col[k] * a + 127) / 255);
                }
            }
        }
        FT_Set_Transform(face, NULL, NULL);
        pen += advance(face, gi, px);
    }
}
