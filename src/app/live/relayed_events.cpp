#include "app/live/relayed_events.hpp"

#include <utility>

namespace soporte::app {

RelayedEvents::RelayedEvents(EventBus& local_bus, ChatEvents& local_chats, LiveRelay& relay,
                             Store& store, LogFn log)
    : local_bus_(local_bus),
      local_chats_(local_chats),
      relay_(relay),
      store_(store),
      log_(std::move(log)) {}

void RelayedEvents::Bus::Publish(const TicketChanged& event) {
  owner_.local_bus_.Publish(event);
  owner_.relay_.Send(event);
}

void RelayedEvents::Chats::Publish(const ChatEvent& e) {
  owner_.local_chats_.Publish(e);
  owner_.relay_.Send(ChatNote{e.chat.id, e.kind, e.message ? e.message->seq : 0, e.to_user});
}

void RelayedEvents::OnNote(const LiveNote& note) {
  if (const auto* ticket = std::get_if<TicketChanged>(&note)) {
    local_bus_.Publish(*ticket);
    return;
  }
  OnChatNote(std::get<ChatNote>(note));
}

void RelayedEvents::OnChatNote(const ChatNote& note) {
  ChatEvent e{note.kind, {}, std::nullopt, note.to_user};
  const bool message = note.kind == "message";
  if (message && note.seq < 1) {
    log_("live relay: a message note of chat " + std::to_string(note.chat_id) +
         " names no message; dropped");
    return;
  }
  Status st = store_.Read([&](ReadTx& tx) -> Status {
    SOPORTE_TRY(chat, tx.chats().GetChat(note.chat_id));
    e.chat = std::move(chat);
    if (!message) return Ok();
    SOPORTE_TRY(messages, tx.chats().ListChatMessages(note.chat_id, note.seq - 1, 1));
    if (messages.empty() || messages.front().seq != note.seq)
      return Fail(ErrorCode::kNotFound, "message " + std::to_string(note.seq) + " not found");
    e.message = std::move(messages.front());
    return Ok();
  });
  if (!st) {
    // The chat's sockets fill such a gap from the store at the next message (the writer's
    // catch-up), or when they resume.
    log_("live relay: chat " + std::to_string(note.chat_id) + " " + note.kind +
         " not shown: " + st.error().message);
    return;
  }
  local_chats_.Publish(e);
}

void RelayedEvents::OnResync() {
  local_bus_.Resync();
  local_chats_.Resync();
}

}  // namespace soporte::app
