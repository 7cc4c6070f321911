// The reader's stages, shared by the reader and the classifier's training tool:
// locate -> upright crop -> line and cell segmentation -> glyph features.
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

#include "mrz/document.hpp"

namespace mrz::optical::detail {

// A place on the page that looks like an MRZ block, in page pixels.
struct Candidate {
  std::array<cv::Point2f, 4> corners;  // TL, TR, BR, BL with the text lines running TL -> TR
  bool quarter_turn = false;           // the text runs vertically on the page (orientation 90 or 270)
  int lines = 2;                       // text lines grouped into the block
  double score = 0;
};

// Pixels on the image's longer side at which the text-line filters see an MRZ of a document that
// fills the image.
inline constexpr double kWorkingSide = 900.0;

// Candidates, best first. `gray` is the whole page, searched at `working_side` pixels on its longer side.
std::vector<Candidate> locate(const cv::Mat& gray, const cv::Rect2f* region_hint, double working_side = kWorkingSide);

// An upright crop of a candidate (text lines TL -> TR running left to right); to_page maps crop
// pixels back to page pixels.
struct Crop {
  cv::Mat image;         // 8-bit gray, text horizontal, at a normalised scale
  cv::Mat mask;          // its ink (255), without dark areas at the border
  cv::Matx33d to_page;   // homogeneous transform crop -> page
};

// The same crop turned 180 degrees (for reading it the other way up).
Crop turned_around(const Crop& crop);

Crop upright_crop(const cv::Mat& gray, const Candidate& candidate, double extra_scale = 1.0);

// upright_crop() at the scale where text lines are kCharHeight pixels tall (one re-crop when the
// first guess from the block's height was off), so glyphs always look as they did in training.
Crop normalised_crop(const cv::Mat& gray, const Candidate& candidate);

inline constexpr double kCharHeight = 26.0;

// One text line of the crop and its character cells.
struct Line {
  int top = 0;
  int bottom = 0;        // exclusive
  float first_centre = 0;
  float pitch = 0;
  int characters = 0;    // cells on the line
  // Perspective (a page not flat under the camera) makes the pitch drift along the line: cell i's
  // centre moves by bend * i * (i - last) pitches, which leaves both ends in place.
  float bend = 0;
  float paper = 255;     // grey level of the paper around the line
  float ink = 0;         // grey level of the ink
};

// All text bands of the crop, top to bottom, with their grey levels (pitch not yet fitted).
std::vector<Line> find_lines(const Crop& crop);

// Fits the first cell centre, the pitch and the bend of a line holding `characters` cells. False
// when the line's extent cannot hold that many characters at a plausible pitch.
bool fit_pitch(const Crop& crop, Line& line, int characters);

// Gives all lines of one MRZ the same pitch, bend and an aligned start (the lines are printed together):
// of the lines' own fits, the one that fits all lines best.
void harmonise_pitch(const Crop& crop, std::vector<Line>& lines, int characters);

// Where cell `index` of a fitted line is centred, in crop pixels.
float cell_centre(const Line& line, float index);

// The k consecutive bands most alike in height (MRZ lines are), the lowest on a tie; empty if fewer.
std::vector<Line> pick_lines(const std::vector<Line>& bands, int k);

// The grid of `line_count` lines of `characters` cells on a crop whose text bands are `bands`: the
// lines picked, their pitch fitted and harmonised. Empty when the lines do not hold that layout.
std::vector<Line> fit_grid(const Crop& crop, const std::vector<Line>& bands, int line_count, int characters);

// The number of characters per line worth trying for two lines, most likely first (44 or 36).
std::vector<int> two_line_widths(const Crop& crop, const Line& first, const Line& second);

inline constexpr int kGlyphWidth = 20;
inline constexpr int kGlyphHeight = 30;
inline constexpr int kFeatureLength = kGlyphWidth * kGlyphHeight;

// Normalised glyph image of one cell as a row of kFeatureLength floats in [0, 1] (1 = ink).
void glyph_features(const cv::Mat& crop, const Line& line, int index, float* out);

// The glyph features of every cell of a grid, one row per cell, line by line.
cv::Mat grid_features(const cv::Mat& crop, const std::vector<Line>& lines, int characters);

// The MRZ text box in crop pixels (TL, TR, BR, BL), for the quadrilateral on the page.
std::array<cv::Point2f, 4> text_box(const std::vector<Line>& lines, int characters);

// The character classes, in the classifier's output order.
inline constexpr const char kClasses[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
inline constexpr int kClassCount = 37;

}  // namespace mrz::optical::detail
