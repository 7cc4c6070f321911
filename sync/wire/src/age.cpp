#include "sync/age.hpp"

#include "sync/record.hpp"

namespace borderpost::sync {

int age_on(const std::string& birth_date, const std::string& day) {
  if (!is_iso_date(birth_date) || !is_iso_date(day)) return -1;
  const int years = std::stoi(day.substr(0, 4)) - std::stoi(birth_date.substr(0, 4));
  const bool before_birthday = day.substr(5) < birth_date.substr(5);
  const int age = years - (before_birthday ? 1 : 0);
  return age < 0 || age > 130 ? -1 : age;
}

std::string age_band(int age, Minors minors) {
  if (age < 0) return "unknown";
  if (age < 18 && minors == Minors::joined) return "0-17";
  if (age < 12) return "0-11";
  if (age < 18) return "12-17";
  if (age < 30) return "18-29";
  if (age < 45) return "30-44";
  if (age < 60) return "45-59";
  return "60+";
}

}  // namespace borderpost::sync
