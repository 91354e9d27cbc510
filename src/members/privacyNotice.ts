// The privacy notice a member consents to. A new version gets a new id; members keep the version
// they agreed to, so the desk can ask them to agree again when it changes.

export interface PrivacyNotice {
  version: string;
  ur: readonly string[];
  en: readonly string[];
}

export const PRIVACY_NOTICE: PrivacyNotice = {
  version: "2026-11",
  ur: [
    "ہم آپ کا نام، شناختی کارڈ یا ب فارم نمبر، موبائل نمبر، تاریخ پیدائش، ضلع، تعلیم اور (اگر آپ چاہیں) جنس، معذوری اور تصویر رکنیت، کمپیوٹر کے استعمال اور تربیت کے لیے رکھتے ہیں۔",
    "شناختی کارڈ نمبر خفیہ (انکرپٹڈ) رکھا جاتا ہے اور ہر جگہ چھپا کر دکھایا جاتا ہے۔ پورا نمبر صرف سنٹر مینیجر وجہ درج کر کے دیکھ سکتا ہے، اور یہ ریکارڈ ہوتا ہے۔ ہیڈ کوارٹر بھی اسے پڑھ سکتا ہے۔",
    "آپ اپنا ریکارڈ اپنے اکاؤنٹ میں دیکھ اور ڈاؤن لوڈ کر سکتے ہیں۔ آپ کی درخواست پر ہم آپ کی ذاتی معلومات مٹا دیتے ہیں؛ صرف بے نام اعداد و شمار (مثلاً استعمال کا وقت، عمر کا گروپ) باقی رہتے ہیں۔",
    "جو رکن طویل عرصے تک سنٹر نہ آئے، اس کی ذاتی معلومات سنٹر کی مقرر کردہ مدت کے بعد خود بخود مٹا دی جاتی ہیں۔",
  ],
  en: [
    "We keep your name, CNIC or B-form number, mobile number, date of birth, district, education and (if you choose) gender, disability and photo, for membership, computer use and training.",
    "Your CNIC is stored encrypted and shown masked everywhere. Only a centre manager who records a reason can see the full number, and that is logged. Headquarters can read it too.",
    "You can see and download your record from your account. On request we erase your personal details; only anonymous statistics (such as time used and age group) remain.",
    "A member who does not visit for a long time has their personal details erased automatically after the period the centre sets.",
  ],
};
