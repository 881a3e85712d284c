import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** `sent` through SMTP, or `logged` when no mail server is configured. */
  send(message: MailMessage): Promise<'sent' | 'logged'>;
  close(): void;
}

/**
 * E-mail through nodemailer over `SMTP_URL`. Without it, messages are written to the log, so a
 * fresh clone works with no mail server and the sender is shown the link to share instead.
 */
export function createMailer(
  smtpUrl: string | undefined,
  from: string,
  log: FastifyBaseLogger,
): Mailer {
  if (!smtpUrl) {
    return {
      async send(message) {
        log.info({ mail: message }, 'no SMTP_URL: e-mail written to the log instead of sent');
        return 'logged';
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      try {
        await transport.sendMail({ from, ...message });
      } catch (error) {
        log.error({ err: error, to: message.to }, 'the mail server refused a message');
        throw error;
      }
      return 'sent';
    },
    close() {
      transport.close();
    },
  };
}
