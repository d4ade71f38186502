-- 0010: password-reset mails delivered (or given up) before the outbox learnt to blank them
-- (issue 16, part 4) still hold their link in clear; blank those bodies as the delivery job now
-- does in the write that marks a reset mail sent or failed (app/mail/outbox.cpp, HoldsSecret).
UPDATE outbox SET body_text = ''
 WHERE kind = 'password_reset' AND (sent_at IS NOT NULL OR failed_at IS NOT NULL);
