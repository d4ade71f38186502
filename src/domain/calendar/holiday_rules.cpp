#include "domain/calendar/holiday_rules.hpp"

namespace soporte::domain::calendar {
namespace {

using K = HolidayRuleKind;
constexpr std::string_view kLey51 = "Ley 51 de 1983";
constexpr std::string_view kLey2578 = "Ley 2578 de 2026";

// One row per holiday, in the order the laws list them (the tie-break for a shared date). Ley 51 de 1983 art. 1: fixed dates, dates moved to the following Monday, and
// the Easter-based days (Ascensión, Corpus Christi and Sagrado Corazón are observed on the Monday
// after their Thursday/Friday: E+39→E+43, E+60→E+64, E+68→E+71). Ley 2578 de 2026 adds Jul 9.
constexpr HolidayRule kColombia[] = {
    // Ley 51 de 1983, art. 1: on their date, whatever the weekday.
    {"Año Nuevo", K::kFixed, 1, 1, 0, 1984, 9999, kLey51},
    {"Día del Trabajo", K::kFixed, 5, 1, 0, 1984, 9999, kLey51},
    {"Día de la Independencia", K::kFixed, 7, 20, 0, 1984, 9999, kLey51},
    {"Batalla de Boyacá", K::kFixed, 8, 7, 0, 1984, 9999, kLey51},
    {"Inmaculada Concepción", K::kFixed, 12, 8, 0, 1984, 9999, kLey51},
    {"Navidad", K::kFixed, 12, 25, 0, 1984, 9999, kLey51},
    // Ley 51 de 1983, art. 1: moved to the following Monday unless on a Monday.
    {"Día de los Reyes Magos", K::kNextMonday, 1, 6, 0, 1984, 9999, kLey51},
    {"Día de San José", K::kNextMonday, 3, 19, 0, 1984, 9999, kLey51},
    {"San Pedro y San Pablo", K::kNextMonday, 6, 29, 0, 1984, 9999, kLey51},
    {"Asunción de la Virgen", K::kNextMonday, 8, 15, 0, 1984, 9999, kLey51},
    {"Día de la Raza", K::kNextMonday, 10, 12, 0, 1984, 9999, kLey51},
    {"Todos los Santos", K::kNextMonday, 11, 1, 0, 1984, 9999, kLey51},
    {"Independencia de Cartagena", K::kNextMonday, 11, 11, 0, 1984, 9999, kLey51},
    // Ley 51 de 1983, art. 1: Easter-based (E = Easter Sunday).
    {"Jueves Santo", K::kEaster, 0, 0, -3, 1984, 9999, kLey51},
    {"Viernes Santo", K::kEaster, 0, 0, -2, 1984, 9999, kLey51},
    {"Ascensión del Señor", K::kEaster, 0, 0, 43, 1984, 9999, kLey51},
    {"Corpus Christi", K::kEaster, 0, 0, 64, 1984, 9999, kLey51},
    {"Sagrado Corazón de Jesús", K::kEaster, 0, 0, 71, 1984, 9999, kLey51},
    // Ley 2578 de 2026: Virgen de Chiquinquirá, moved to the following Monday, from 2026 on.
    {"Virgen de Chiquinquirá", K::kNextMonday, 7, 9, 0, 2026, 9999, kLey2578},
};

}  // namespace

std::span<const HolidayRule> ColombianHolidayRules() { return kColombia; }

}  // namespace soporte::domain::calendar
