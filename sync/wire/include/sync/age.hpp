// A traveller's age and age band, as the post's statistics and the central office's report count
// them: one definition for both.
#pragma once

#include <string>

namespace borderpost::sync {

// Age in whole years on `day` (both YYYY-MM-DD), or -1 when the birth date is unknown, later, or
// more than 130 years back (a misread or placeholder year, not a traveller); one born on
// 29 February comes of age on 1 March in common years.
int age_on(const std::string& birth_date, const std::string& day);

// The bands, youngest first: "0-11", "12-17", "18-29", "30-44", "45-59", "60+", "unknown" (-1).
// The central office's report joins the two bands of minors as "0-17"; the post keeps them apart.
enum class Minors { joined, split };
std::string age_band(int age, Minors minors = Minors::joined);

}  // namespace borderpost::sync
