// Strong ids: an OrgId cannot be passed where a TicketId is expected. Each wraps the storage's
// integer key; 0 means "not yet stored".
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace soporte {

template <class Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(std::int64_t v) : value_(v) {}
  constexpr std::int64_t value() const { return value_; }
  constexpr bool valid() const { return value_ > 0; }
  friend constexpr auto operator<=>(Id, Id) = default;

 private:
  std::int64_t value_ = 0;
};

using OrgId = Id<struct OrgTag>;
using ContractId = Id<struct ContractTag>;
using UserId = Id<struct UserTag>;
using TicketId = Id<struct TicketTag>;
using ArticleId = Id<struct ArticleTag>;
using AttachmentId = Id<struct AttachmentTag>;
using CalendarId = Id<struct CalendarTag>;

}  // namespace soporte

template <class Tag>
struct std::hash<soporte::Id<Tag>> {
  std::size_t operator()(soporte::Id<Tag> id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
