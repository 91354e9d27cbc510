// The search bench's word lists (Urdu script, English, Roman Urdu), the words its queries are
// about, and the pseudo-words of the long tail: searchCorpus.ts draws documents and queries from
// them.

/** Urdu function words, most frequent first: they fill ~40% of running text. */
// prettier-ignore
export const URDU_FUNCTION = [
  "کے", "میں", "کی", "ہے", "اور", "سے", "کو", "کا", "نے", "پر", "یہ", "ہیں", "کہ", "بھی", "ایک",
  "گیا", "کیا", "اس", "جو", "ان", "لیے", "کر", "ہو", "وہ", "تھا", "تک", "بعد", "ساتھ", "گئی", "گئے",
  "رہے", "والے", "کہا", "بتایا", "جائے", "گا", "گی", "گے", "تھی", "تھے", "ہوں", "سکتے", "چاہیے",
  "اپنے", "اپنی", "نہیں", "دیا", "دی", "کرنے", "کرتے", "ہوئے", "جس", "جن", "ہم", "آپ", "اب", "جب",
  "یا", "مزید", "تمام", "کئی", "دوران", "مطابق", "حوالے", "کریں", "ہوگا", "کرنا", "والی", "رہا",
];

/**
 * Urdu content words and fixed phrases (news, e-government, ICT), roughly most frequent first.
 * کمپیوٹر is not here: it is placed in a set share of documents (see COMMON_SHARE).
 */
// prettier-ignore
export const URDU_CONTENT = [
  "حکومت", "پاکستان", "عوام", "تعلیم", "سنٹر", "انٹرنیٹ", "کورس", "شہری", "سرکاری", "معلومات",
  "خدمات", "سہولت", "پروگرام", "منصوبہ", "اعلان", "درخواست", "ضلع", "صوبہ", "وزیر", "نوجوان",
  "خواتین", "طلبہ", "تربیت", "موبائل", "فون", "آن لائن", "ڈیجیٹل", "شناختی کارڈ", "ادارہ", "محکمہ",
  "فراہم", "جاری", "مفت", "ضروری", "اہم", "نئے", "نئی", "مکمل", "شروع", "حاصل",
  "رجسٹریشن", "فارم", "ویب سائٹ", "مرکز", "سال", "ماہ", "دن", "ہفتے", "روز", "وقت",
  "لوگ", "ملک", "شہر", "علاقے", "گاؤں", "تحصیل", "کونسل", "یونین", "نادرا", "پاسپورٹ",
  "لائسنس", "تصدیق", "دستاویزات", "بل", "بجلی", "گیس", "پانی", "ٹیکس", "بینک", "قرض",
  "رقم", "ادائیگی", "فیس", "امداد", "پنشن", "وظیفہ", "اسکالرشپ", "سرٹیفکیٹ", "ڈگری", "امتحان",
  "نتیجہ", "داخلہ", "اسکول", "کالج", "یونیورسٹی", "استاد", "اساتذہ", "کتاب", "لائبریری", "کلاس",
  "مہارت", "ملازمت", "روزگار", "نوکری", "کاروبار", "مارکیٹ", "قیمت", "مہنگائی", "صحت", "ہسپتال",
  "ڈاکٹر", "مریض", "علاج", "دوا", "ویکسین", "مہم", "بچوں", "بچے", "والدین", "خاندان",
  "کسان", "زراعت", "فصل", "گندم", "کپاس", "چاول", "بارش", "سیلاب", "موسم", "ماحول",
  "درخت", "سڑک", "ٹرانسپورٹ", "بس", "ریلوے", "پل", "تعمیر", "ترقی", "بجٹ", "فنڈز",
  "اجلاس", "کمیٹی", "رپورٹ", "فیصلہ", "قانون", "عدالت", "پولیس", "شکایت", "حقوق", "انصاف",
  "انتخابات", "ووٹ", "پارلیمنٹ", "اسمبلی", "وزیراعظم", "وزیراعلیٰ", "صدر", "گورنر", "افسر", "عملہ",
  "ملازمین", "تنخواہ", "اسلام آباد", "لاہور", "کراچی", "پشاور", "کوئٹہ", "ملتان", "فیصل آباد", "راولپنڈی",
  "حیدرآباد", "سیالکوٹ", "گوجرانوالہ", "بہاولپور", "سکھر", "مردان", "ایبٹ آباد", "گلگت", "مظفرآباد", "پنجاب",
  "سندھ", "بلوچستان", "خیبر پختونخوا", "سافٹ ویئر", "ہارڈ ویئر", "لیپ ٹاپ", "پرنٹر", "اسکینر", "ڈیٹا", "نیٹ ورک",
  "سرور", "پاس ورڈ", "اکاؤنٹ", "ای میل", "ٹیکنالوجی", "ڈاؤن لوڈ", "فائل", "سسٹم", "ایپ", "سائبر",
  "سیکیورٹی", "فراڈ", "ہیکر", "براڈ بینڈ", "وائی فائی", "کنکشن", "سگنل", "ٹاور", "کمپنی", "صارفین",
  "پیغام", "ویڈیو", "تصویر", "خبر", "اخبار", "ٹیلی ویژن", "ریڈیو", "سوشل میڈیا", "فیس بک", "واٹس ایپ",
  "یوٹیوب", "ورکشاپ", "سیمینار", "تقریب", "مقابلہ", "انعام", "کھیل", "کرکٹ", "ہاکی", "ٹیم",
  "کھلاڑی", "میچ", "ثقافت", "زبان", "اردو", "انگریزی", "ادب", "شاعر", "تاریخ", "مسجد",
  "عید", "رمضان", "چھٹی", "اوقات", "دفتر", "کاؤنٹر", "قطار", "ٹوکن", "نمبر", "پتہ",
  "رابطہ", "ہیلپ لائن", "شکریہ", "اطلاع", "نوٹس", "ہدایات", "طریقہ", "مرحلہ", "شرائط", "اہلیت",
  "عمر", "پیدائش", "آخری", "پہلا", "دوسرا", "بڑا", "چھوٹا", "بہتر", "آسان", "مشکل",
  "تیز", "محفوظ", "مقامی", "قومی", "بین الاقوامی", "عالمی", "اضافہ", "کمی", "تعداد", "فیصد",
  "روپے", "لاکھ", "کروڑ", "ہزار", "سروے", "تحقیق", "سائنس", "ریاضی", "معیشت", "صنعت",
  "فیکٹری", "برآمدات", "درآمدات", "توانائی", "شمسی", "بیٹری", "چارجنگ", "مشین", "آلات", "کی بورڈ",
  "ماؤس", "اسکرین", "ونڈوز", "پروگرامنگ", "کوڈنگ", "گرافک ڈیزائن", "فری لانسنگ", "ای کامرس", "ٹیوٹوریل", "ٹرینر",
  "سیکھنے", "سکھانے", "رہنمائی", "مشورہ", "کسٹمر", "خریداری", "فروخت", "جاز کیش", "ایزی پیسہ", "انکم سپورٹ",
  "احساس", "کفالت", "راشن", "یوٹیلیٹی", "معذور", "بزرگ", "یتیم", "خصوصی", "نظام", "اصلاحات",
];

// prettier-ignore
export const ENGLISH_FUNCTION = [
  "the", "of", "and", "to", "in", "a", "is", "for", "on", "with", "that", "by", "from", "at", "as",
  "are", "be", "was", "this", "it", "an", "will", "has", "have", "were", "which", "their", "or", "its",
  "also", "been", "can", "more", "after", "all", "new", "into", "about", "who", "they",
];

/** English content words, roughly most frequent first ("computer" is placed separately). */
// prettier-ignore
export const ENGLISH_CONTENT = [
  "government", "pakistan", "centre", "internet", "course", "education", "training", "students",
  "public", "service", "services", "information", "online", "digital", "mobile", "phone", "programme",
  "project", "district", "province", "minister", "federal", "citizens", "women", "youth", "free",
  "application", "form", "registration", "identity", "card", "nadra", "passport", "licence",
  "verification", "documents", "bill", "electricity", "gas", "water", "tax", "bank", "loan", "payment",
  "fee", "support", "pension", "scholarship", "certificate", "degree", "exam", "result", "admission",
  "school", "college", "university", "teacher", "teachers", "book", "library", "class", "skills",
  "job", "jobs", "employment", "business", "market", "price", "inflation", "health", "hospital",
  "doctor", "patients", "treatment", "vaccine", "campaign", "children", "parents", "family",
  "farmers", "agriculture", "crop", "wheat", "cotton", "rice", "rain", "flood", "weather",
  "environment", "road", "transport", "railway", "bridge", "construction", "development", "budget",
  "funds", "meeting", "committee", "report", "decision", "law", "court", "police", "complaint",
  "rights", "justice", "election", "vote", "parliament", "assembly", "president", "governor",
  "officer", "staff", "salary", "islamabad", "lahore", "karachi", "peshawar", "quetta", "multan",
  "faisalabad", "rawalpindi", "hyderabad", "sialkot", "punjab", "sindh", "balochistan", "software",
  "hardware", "laptop", "printer", "scanner", "data", "network", "server", "password", "account",
  "email", "technology", "download", "file", "system", "app", "cyber", "security", "fraud",
  "broadband", "wifi", "connection", "signal", "company", "users", "message", "video", "photo",
  "news", "newspaper", "television", "radio", "social", "media", "workshop", "seminar", "ceremony",
  "competition", "award", "sports", "cricket", "hockey", "team", "players", "match", "culture",
  "language", "urdu", "english", "literature", "history", "holiday", "office", "counter", "queue",
  "token", "number", "address", "contact", "helpline", "notice", "instructions", "procedure",
  "step", "conditions", "eligibility", "age", "birth", "deadline", "first", "second", "better",
  "easy", "safe", "local", "national", "international", "increase", "decrease", "percent", "rupees",
  "million", "survey", "research", "science", "economy", "industry", "exports", "energy", "solar",
  "battery", "machine", "keyboard", "screen", "programming", "coding", "design", "freelancing",
  "ecommerce", "tutorial", "trainer", "learning", "guidance", "customer", "shopping", "reforms",
];

// prettier-ignore
export const ROMAN_FUNCTION = [
  "ke", "mein", "ki", "hai", "aur", "se", "ko", "ka", "ne", "par", "yeh", "hain", "keh", "bhi", "aik",
  "gaya", "kiya", "is", "jo", "un", "liye", "kar", "ho", "woh", "tha", "tak", "baad", "sath", "gayi",
  "rahe", "wale", "kaha", "bataya", "jaye", "ga", "gi", "ge", "thi", "nahi", "apne", "apni",
];

/** Roman Urdu content words: how people type Urdu on a phone keyboard. */
// prettier-ignore
export const ROMAN_CONTENT = [
  "hakoomat", "pakistan", "awam", "taleem", "sentar", "internet", "course", "shehri", "sarkari",
  "maloomat", "khidmat", "sahoolat", "programme", "mansooba", "elaan", "darkhwast", "zila", "sooba",
  "wazir", "naujawan", "khawateen", "talaba", "tarbiyat", "mobile", "online", "shanakhti", "card",
  "idara", "mehkma", "faraham", "jari", "muft", "zaroori", "ahem", "naye", "nayi", "mukammal",
  "shuru", "hasil", "form", "website", "markaz", "saal", "mahina", "din", "hafte", "waqt", "log",
  "mulk", "shehar", "ilaqe", "gaon", "nadra", "bijli", "pani", "bill", "tax", "qarz", "raqam",
  "fees", "imdad", "pension", "wazifa", "imtihan", "natija", "dakhla", "school", "college", "ustad",
  "kitab", "class", "nokri", "rozgar", "karobar", "qeemat", "mehngai", "sehat", "hospital", "doctor",
  "mareez", "ilaj", "dawai", "bachay", "walidain", "kisan", "fasal", "gandum", "barish", "sailab",
  "mausam", "sarak", "taraqqi", "faisla", "qanoon", "adalat", "shikayat", "huqooq", "intikhabat",
  "tankhwah", "lahore", "karachi", "laptop", "password", "account", "video", "khabar", "cricket",
  "team", "urdu", "daftar", "raabta", "helpline", "tareeqa", "shara'it", "umar", "asaan", "mushkil",
];

/** Real words that stay rare: each is placed in about 0.05–0.1% of documents of its language. */
// prettier-ignore
export const RARE_URDU = [
  "زلزلہ", "آتشزدگی", "فلکیات", "چلغوزہ", "کچھوا", "آبدوز", "خرگوش", "زعفران", "بھیڑیا", "سنگترہ",
  "بلبل", "اژدہا", "زرافہ", "جزیرہ", "برفباری", "آبشار", "قلعہ", "خطاطی", "بطخ", "سنگ مرمر",
];
// prettier-ignore
export const RARE_ENGLISH = [
  "telescope", "ostrich", "avalanche", "astronomy", "submarine", "saffron", "ceramics", "calligraphy",
  "meteorite", "giraffe",
];

/** The "very common word" row: placed in COMMON_SHARE of documents (and its spelling in each script). */
export const COMMON_WORD = "کمپیوٹر";
export const COMMON_FORMS = {
  urdu: [COMMON_WORD],
  english: ["computer", "computers"],
  roman: ["kampiutar", "computer"],
};
export const COMMON_SHARE = 0.4;
/** The stop-word row: the most frequent Urdu word, in nearly every Urdu document. */
export const STOP_WORD = "کے";
export const ROMAN_QUERY = "kampiutar course";

// Names, places and the thousands of words the lists leave out: pseudo-words made of syllables,
// drawn from a long Zipf tail so the vocabulary keeps growing with the corpus as real text does.
// prettier-ignore
export const URDU_SYLLABLES = [
  "با", "بی", "بو", "پا", "پی", "تا", "تی", "ٹو", "جا", "جی", "چا", "خا", "دا", "دی", "ڈو", "را",
  "ری", "رو", "زا", "سا", "سی", "سو", "شا", "شی", "فا", "قا", "کا", "کی", "کو", "گا", "گل", "لا",
  "لی", "ما", "می", "مو", "نا", "نی", "وا", "ہا",
];
export const URDU_CODAS = ["ن", "ر", "ل", "م", "د", "ت", "ز", "ش"];
// prettier-ignore
export const LATIN_SYLLABLES = [
  "ka", "ri", "mo", "ta", "ne", "lu", "sha", "da", "pi", "ro", "za", "bi", "fa", "ga", "ha", "ja",
  "la", "ma", "na", "pa", "sa", "ti", "wa", "ya", "zu", "ke", "lo", "me", "nu", "so", "che", "kho",
  "bha", "gu", "di", "ve", "qa", "re", "ba", "to",
];
export const LATIN_CODAS = ["n", "r", "l", "m", "d", "t", "z", "sh"];
export const TAIL_SIZE = 300_000;

export function pseudoWord(rank: number, syllables: readonly string[], codas: readonly string[]): string {
  const s = syllables.length;
  const twoSyllable = s * s * codas.length;
  const count = rank < twoSyllable ? 2 : 3;
  let n = rank < twoSyllable ? rank : rank - twoSyllable;
  let word = "";
  for (let i = 0; i < count; i++) {
    word += syllables[n % s];
    n = Math.floor(n / s);
  }
  return word + codas[n % codas.length];
}

/** Vocabulary sizes of the lists, for the report. */
export const WORD_LISTS = {
  urduFunction: URDU_FUNCTION.length,
  urduContent: URDU_CONTENT.length,
  englishFunction: ENGLISH_FUNCTION.length,
  englishContent: ENGLISH_CONTENT.length,
  romanFunction: ROMAN_FUNCTION.length,
  romanContent: ROMAN_CONTENT.length,
  rare: RARE_URDU.length + RARE_ENGLISH.length,
  tailPseudoWords: TAIL_SIZE,
};
