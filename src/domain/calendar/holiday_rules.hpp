// Public-holiday rules as data: each row is one holiday, how its date is found (fixed date, moved to
// the following Monday, or an offset from Easter Sunday) and the years in which the law that created
// it applies. A new law is one new row (or an `until_year` on an old one). holidays_co.cpp evaluates
// the Colombian table; the evaluator works for any table of this shape.
#pragma once

#include <span>
#include <string_view>

namespace soporte::domain::calendar {

enum class HolidayRuleKind {
  kFixed,       // on its date, whatever the weekday
  kNextMonday,  // moved to the following Monday unless it falls on a Monday ("Ley Emiliani")
  kEaster,      // Easter Sunday + easter_offset days (offsets already land on the observed day)
};

struct HolidayRule {
  std::string_view name;  // official Spanish name, as printed by `soporte holidays`
  HolidayRuleKind kind;
  unsigned month = 0;     // kFixed / kNextMonday
  unsigned day = 0;       // kFixed / kNextMonday
  int easter_offset = 0;  // kEaster
  int from_year;          // first year the rule applies (the law's effect)
  int until_year = 9999;  // last year it applies (a later law may end it)
  std::string_view law;   // the source, for humans and tests
};

// The Colombian public holidays: Ley 51 de 1983 (in force from 1984) and Ley 2578 de 2026.
// Order is the tie-break for two holidays observed on the same date. Immutable data.
std::span<const HolidayRule> ColombianHolidayRules();

// The years for which this code promises Colombian holidays (the CLI and the engine check these).
inline constexpr int kFirstHolidayYear = 1984;
inline constexpr int kLastHolidayYear = 2100;

}  // namespace soporte::domain::calendar
