// Easter Sunday in the Gregorian calendar: the anchor of the movable Colombian holidays
// (Jueves Santo, Viernes Santo, Ascensión, Corpus Christi, Sagrado Corazón; Ley 51 de 1983).
// Pure arithmetic, no tables; tests cross-check it against a second, independent algorithm.
#pragma once

#include <date/date.h>

namespace soporte::domain::calendar {

// Easter Sunday of `year` (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
// Valid for any year from 1583 on; the callers use 1984–2101. Pure; thread-safe.
date::year_month_day EasterSunday(int year);

}  // namespace soporte::domain::calendar
