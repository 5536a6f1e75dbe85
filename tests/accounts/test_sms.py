import logging

from accounts import sms


class RecordingProvider(sms.SMSBackend):
    sent = []

    def send(self, phone, message):
        self.sent.append((phone, message))


def test_the_default_backend_writes_the_message_to_the_log_with_the_number_masked(settings, caplog):
    settings.SMS_BACKEND = "accounts.sms.LogSMSBackend"
    with caplog.at_level(logging.INFO, logger="accounts.sms"):
        sms.send_sms("+8613800138000", "验证码 123456")
    assert "SMS to 138****8000: 验证码 123456" in caplog.text
    assert "13800138000" not in caplog.text


def test_a_provider_plugs_in_by_subclassing_and_a_setting(settings):
    settings.SMS_BACKEND = f"{__name__}.RecordingProvider"
    sms.send_sms("+8613800138000", "你好")
    assert RecordingProvider.sent == [("+8613800138000", "你好")]
