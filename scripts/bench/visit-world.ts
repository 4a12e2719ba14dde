/**
 * What the synthetic news is about: countries with their cities and name pools, offices,
 * topics with a project and a memorandum each, forums, agencies and the small words of
 * diplomatic reporting. Data only; `synthetic-corpus.ts` combines it.
 */
export interface Country {
  name: string;
  demonym: string;
  capital: string;
  cities: readonly string[];
  /** Surname pool: names "from" this country (most are outside the word vectors' vocabulary, as real ones are). */
  surnames: readonly string[];
  firstNames: readonly string[];
  /** Family name first, as in Chinese and Korean names ("Wang Yi"). */
  surnameFirst?: boolean;
}

const CENTRAL_ASIAN_FIRST = ["Sadyr", "Akylbek", "Adylbek", "Edil", "Jeenbek", "Kamchybek", "Nurlan", "Aibek", "Azamat", "Bakyt", "Dinara", "Aigul", "Gulnara", "Cholpon", "Timur", "Rustam", "Marat", "Asel", "Zhanar", "Erlan"];
const CENTRAL_ASIAN_SURNAMES = ["Japarov", "Kasymaliev", "Kulubaev", "Baisalov", "Tashiev", "Akmatov", "Sydykov", "Osmonov", "Abdyldaev", "Mamytov", "Tokayev", "Nurtleu", "Mirziyoyev", "Saidov", "Rahmon", "Muhriddin", "Berdimuhamedov", "Meredov", "Seitkaliev", "Usenov", "Zhumabekov", "Karimova", "Alieva", "Bekova"];
const CHINESE_FIRST = ["Wei", "Li", "Ming", "Jian", "Hua", "Qiang", "Lan", "Yan", "Hong", "Jun", "Ping", "Xiao"];
const CHINESE_SURNAMES = ["Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "Lin", "He", "Gao", "Luo", "Zheng"];
const RUSSIAN_FIRST = ["Sergei", "Dmitry", "Alexei", "Mikhail", "Andrei", "Olga", "Tatiana", "Yuri", "Igor", "Vladimir", "Elena", "Maxim"];
const RUSSIAN_SURNAMES = ["Lavrov", "Mishustin", "Overchuk", "Novak", "Reshetnikov", "Volkov", "Sokolov", "Morozov", "Petrov", "Kuznetsova", "Orlov", "Belov"];
const EUROPEAN_FIRST = ["Anna", "Thomas", "Marie", "Lukas", "Sophie", "Jan", "Pierre", "Giulia", "Marco", "Elena", "Stefan", "Katrin", "Julia", "Henrik"];
const EUROPEAN_SURNAMES = ["Schneider", "Dubois", "Rossi", "Novak", "Kowalski", "Jansen", "Lindqvist", "Moreau", "Bianchi", "Hoffmann", "Varga", "Horvat", "Weber", "Fischer"];
const ASIAN_FIRST = ["Hiroshi", "Yuki", "Kenji", "Min-jun", "Seo-yeon", "Arjun", "Priya", "Rahul", "Anwar", "Siti", "Nguyen", "Farhad", "Reza", "Mehmet", "Ayse", "Emre"];
const ASIAN_SURNAMES = ["Tanaka", "Suzuki", "Kim", "Park", "Sharma", "Patel", "Ibrahim", "Rahman", "Tran", "Hosseini", "Yilmaz", "Demir", "Kaya", "Celik", "Sato", "Lee"];

export const COUNTRIES: readonly Country[] = [
  { name: "Kyrgyzstan", demonym: "Kyrgyz", capital: "Bishkek", cities: ["Bishkek", "Osh", "Cholpon-Ata", "Karakol", "Jalal-Abad", "Naryn"], surnames: CENTRAL_ASIAN_SURNAMES, firstNames: CENTRAL_ASIAN_FIRST },
  { name: "China", demonym: "Chinese", capital: "Beijing", cities: ["Beijing", "Shanghai", "Xi'an", "Urumqi", "Guangzhou", "Chengdu", "Tianjin", "Kashgar"], surnames: CHINESE_SURNAMES, firstNames: CHINESE_FIRST, surnameFirst: true },
  { name: "Kazakhstan", demonym: "Kazakh", capital: "Astana", cities: ["Astana", "Almaty", "Shymkent", "Aktau", "Karaganda"], surnames: CENTRAL_ASIAN_SURNAMES, firstNames: CENTRAL_ASIAN_FIRST },
  { name: "Uzbekistan", demonym: "Uzbek", capital: "Tashkent", cities: ["Tashkent", "Samarkand", "Bukhara", "Andijan", "Khiva"], surnames: CENTRAL_ASIAN_SURNAMES, firstNames: CENTRAL_ASIAN_FIRST },
  { name: "Tajikistan", demonym: "Tajik", capital: "Dushanbe", cities: ["Dushanbe", "Khujand", "Kulob"], surnames: CENTRAL_ASIAN_SURNAMES, firstNames: CENTRAL_ASIAN_FIRST },
  { name: "Turkmenistan", demonym: "Turkmen", capital: "Ashgabat", cities: ["Ashgabat", "Turkmenbashi", "Mary"], surnames: CENTRAL_ASIAN_SURNAMES, firstNames: CENTRAL_ASIAN_FIRST },
  { name: "Russia", demonym: "Russian", capital: "Moscow", cities: ["Moscow", "Saint Petersburg", "Kazan", "Sochi", "Novosibirsk", "Yekaterinburg"], surnames: RUSSIAN_SURNAMES, firstNames: RUSSIAN_FIRST },
  { name: "Turkey", demonym: "Turkish", capital: "Ankara", cities: ["Ankara", "Istanbul", "Izmir", "Antalya"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
  { name: "Germany", demonym: "German", capital: "Berlin", cities: ["Berlin", "Munich", "Hamburg", "Frankfurt"], surnames: EUROPEAN_SURNAMES, firstNames: EUROPEAN_FIRST },
  { name: "France", demonym: "French", capital: "Paris", cities: ["Paris", "Lyon", "Marseille", "Strasbourg"], surnames: EUROPEAN_SURNAMES, firstNames: EUROPEAN_FIRST },
  { name: "Italy", demonym: "Italian", capital: "Rome", cities: ["Rome", "Milan", "Turin", "Naples"], surnames: EUROPEAN_SURNAMES, firstNames: EUROPEAN_FIRST },
  { name: "Hungary", demonym: "Hungarian", capital: "Budapest", cities: ["Budapest", "Debrecen"], surnames: EUROPEAN_SURNAMES, firstNames: EUROPEAN_FIRST },
  { name: "Japan", demonym: "Japanese", capital: "Tokyo", cities: ["Tokyo", "Osaka", "Kyoto", "Nagoya"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
  { name: "South Korea", demonym: "Korean", capital: "Seoul", cities: ["Seoul", "Busan", "Incheon"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
  { name: "India", demonym: "Indian", capital: "New Delhi", cities: ["New Delhi", "Mumbai", "Bangalore", "Chennai"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
  { name: "Iran", demonym: "Iranian", capital: "Tehran", cities: ["Tehran", "Isfahan", "Mashhad"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
  { name: "Pakistan", demonym: "Pakistani", capital: "Islamabad", cities: ["Islamabad", "Karachi", "Lahore"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
  { name: "Azerbaijan", demonym: "Azerbaijani", capital: "Baku", cities: ["Baku", "Ganja"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
  { name: "Mongolia", demonym: "Mongolian", capital: "Ulaanbaatar", cities: ["Ulaanbaatar", "Darkhan"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
  { name: "the United Arab Emirates", demonym: "Emirati", capital: "Abu Dhabi", cities: ["Abu Dhabi", "Dubai"], surnames: ASIAN_SURNAMES, firstNames: ASIAN_FIRST },
];

/** Offices of the people who travel and receive: [title, how high it ranks]. */
export const OFFICES = [
  "President",
  "Prime Minister",
  "Chairman of the Cabinet of Ministers",
  "Foreign Minister",
  "Minister of Economy and Commerce",
  "Minister of Energy",
  "Minister of Transport and Communications",
  "Minister of Agriculture",
  "Minister of Education and Science",
  "Minister of Health",
  "Minister of Digital Development",
  "Speaker of Parliament",
  "Deputy Prime Minister",
  "Secretary of the Security Council",
  "Governor of the Central Bank",
  "Chairman of the State Customs Service",
] as const;

export interface Topic {
  /** "trade and economic cooperation" */
  phrase: string;
  /** A concrete project of this field. */
  project: string;
  /** What a memorandum in this field is about. */
  memorandum: string;
}

export const TOPICS: readonly Topic[] = [
  { phrase: "trade and economic cooperation", project: "cross-border trade centre", memorandum: "mutual recognition of customs procedures" },
  { phrase: "energy and hydropower", project: "hydropower plant", memorandum: "construction of a hydroelectric station" },
  { phrase: "transport and logistics", project: "railway", memorandum: "development of international road transport" },
  { phrase: "agriculture and food security", project: "greenhouse complex", memorandum: "phytosanitary requirements for exported fruit" },
  { phrase: "education and science", project: "joint university campus", memorandum: "academic exchanges and scholarships for students" },
  { phrase: "healthcare", project: "regional hospital", memorandum: "supply of vaccines and medical equipment" },
  { phrase: "digital economy", project: "data centre", memorandum: "cooperation in e-government and cybersecurity" },
  { phrase: "tourism and culture", project: "cultural centre", memorandum: "simplified visa procedures for tourist groups" },
  { phrase: "water resources", project: "irrigation canal", memorandum: "joint management of transboundary rivers" },
  { phrase: "regional security", project: "border checkpoint", memorandum: "joint exercises against terrorism and drug trafficking" },
  { phrase: "investment", project: "industrial park", memorandum: "protection of mutual investments" },
  { phrase: "green energy", project: "solar power station", memorandum: "development of wind and solar generation" },
  { phrase: "mining and metallurgy", project: "gold processing plant", memorandum: "geological exploration of rare earth deposits" },
  { phrase: "finance and banking", project: "national payment system link", memorandum: "settlements in national currencies" },
  { phrase: "humanitarian cooperation", project: "children's hospital", memorandum: "humanitarian aid for regions hit by mudflows" },
  { phrase: "aviation", project: "airport terminal", memorandum: "additional direct flights between the capitals" },
];

export const FORUMS = [
  "Shanghai Cooperation Organisation summit",
  "Central Asia–China summit",
  "Belt and Road Forum",
  "Eurasian Economic Forum",
  "Commonwealth of Independent States summit",
  "United Nations General Assembly",
  "Conference on Interaction and Confidence-Building Measures in Asia",
  "Astana International Forum",
  "Boao Forum for Asia",
  "Organisation of Turkic States summit",
];

export const AGENCIES: readonly { name: string; domain: string }[] = [
  { name: "Xinhua", domain: "english.news.cn" },
  { name: "Kabar", domain: "kabar.kg" },
  { name: "AKIpress", domain: "akipress.com" },
  { name: "24.kg", domain: "24.kg" },
  { name: "Kazinform", domain: "inform.kz" },
  { name: "TASS", domain: "tass.com" },
  { name: "Anadolu Agency", domain: "aa.com.tr" },
  { name: "UzA", domain: "uza.uz" },
  { name: "Khovar", domain: "khovar.tj" },
  { name: "Trend", domain: "trend.az" },
];

export const MONUMENTS = ["Eternal Flame", "Monument to the Victims of the Second World War", "Independence Monument", "Memorial to the Heroes", "Ata-Beyit memorial complex"];
export const INSTITUTIONS = ["national history museum", "state university", "technology park", "science academy", "philharmonic hall", "agricultural research institute", "free economic zone"];
export const ADJECTIVES = ["strategic", "comprehensive", "mutually beneficial", "long-term", "practical", "friendly"];
export const SEASONS = ["spring", "summer", "autumn", "winter"];
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

