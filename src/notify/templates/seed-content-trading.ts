// Default wording for the trading-side events (orders, trades, margin, MTF, F&O, RMS, corporate
// actions), English and Hindi side by side. Regulatory alerts state the fact, the amount and the
// deadline plainly, and what happens if the client does nothing.
import type { SeedEntry } from './seed-templates.ts';

export const tradingSeeds: SeedEntry[] = [
  {
    type: 'order.rejected',
    push: {
      en: ['Order rejected: {{symbol}}', 'Your order for {{qty}} {{symbol}} was rejected: {{reason}}.'],
      hi: ['ऑर्डर अस्वीकृत: {{symbol}}', '{{symbol}} (मात्रा {{qty}}) का आपका ऑर्डर अस्वीकार हुआ: {{reason}}।'],
    },
  },
  {
    type: 'trade.executed',
    // SMS is not a default channel: this is the fallback when WhatsApp fails or stays unconfirmed.
    sms: {
      en: 'Trade executed on {{exchange}}: {{side}} {{qty}} {{symbol}} at avg price {{avgPrice}}. -Pravah',
      hi: '{{exchange}} पर ट्रेड पूरा हुआ: {{symbol}} की {{qty}} मात्रा की {{side}}, औसत मूल्य {{avgPrice}}। -प्रवाह',
    },
    whatsapp: {
      en: ['Trade executed on {{1}}: {{2}} {{3}} {{4}} at an average price of {{5}}. The exchange will also send you its confirmation.', ['exchange', 'side', 'qty', 'symbol', 'avgPrice']],
      hi: ['{{1}} पर ट्रेड पूरा हुआ: {{4}} की {{3}} मात्रा की {{2}}, औसत मूल्य {{5}}। एक्सचेंज भी आपको इसकी पुष्टि भेजेगा।', ['exchange', 'side', 'qty', 'symbol', 'avgPrice']],
    },
    push: {
      en: ['{{side}} {{symbol}} executed', '{{side}} {{qty}} {{symbol}} at avg {{avgPrice}} on {{exchange}}.'],
      hi: ['{{symbol}} {{side}} पूरी हुई', '{{exchange}} पर {{symbol}} की {{qty}} मात्रा की {{side}} औसत {{avgPrice}} पर पूरी हुई।'],
    },
  },
  {
    type: 'trade.contract_note_issued',
    sms: {
      en: 'Contract note {{contractNoteNo}} for your trades on {{tradeDate}} has been sent to your registered email. View: {{link}} -Pravah',
      hi: '{{tradeDate}} के आपके ट्रेड का कॉन्ट्रैक्ट नोट {{contractNoteNo}} आपके पंजीकृत ईमेल पर भेजा गया है। देखें: {{link}} -प्रवाह',
    },
  },
  {
    type: 'margin.daily_statement',
    push: {
      en: ['Margin statement for {{date}}', 'Required {{required}}, collected {{collected}}, shortfall {{shortfall}}.'],
      hi: ['{{date}} का मार्जिन विवरण', 'आवश्यक {{required}}, जमा {{collected}}, कमी {{shortfall}}।'],
    },
  },
  {
    type: 'mtf.position_created',
    sms: {
      en: 'MTF position created: {{qty}} {{symbol}}. Funded by us: {{fundedAmount}}, your margin: {{ownMargin}}. Interest applies on the funded amount. -Pravah',
      hi: 'MTF पोजीशन बनाई गई: {{symbol}} की {{qty}} मात्रा। हमारे द्वारा फंड की गई राशि: {{fundedAmount}}, आपका मार्जिन: {{ownMargin}}। फंड की गई राशि पर ब्याज लगेगा। -प्रवाह',
    },
    push: {
      en: ['MTF position created', '{{qty}} {{symbol}}: funded {{fundedAmount}}, your margin {{ownMargin}}.'],
      hi: ['MTF पोजीशन बनाई गई', '{{symbol}} ({{qty}}): फंडेड {{fundedAmount}}, आपका मार्जिन {{ownMargin}}।'],
    },
  },
  {
    type: 'mtf.pledge_pending',
    sms: {
      en: 'Pledge {{isinCount}} MTF holding(s) by {{cutoffTime}} to keep your MTF positions. Unpledged positions will be squared off. -Pravah',
      hi: 'अपनी MTF पोजीशन बनाए रखने के लिए {{cutoffTime}} तक {{isinCount}} होल्डिंग गिरवी (प्लेज) रखें। बिना प्लेज वाली पोजीशन स्क्वेयर ऑफ कर दी जाएगी। -प्रवाह',
    },
    whatsapp: {
      en: ['Action needed: pledge {{1}} MTF holding(s) by {{2}}. Positions not pledged by the cut-off will be squared off. Approve the pledge from the link your depository (CDSL/NSDL) sent you.', ['isinCount', 'cutoffTime']],
      hi: ['कार्रवाई ज़रूरी: {{2}} तक {{1}} MTF होल्डिंग प्लेज करें। कट-ऑफ तक प्लेज न की गई पोजीशन स्क्वेयर ऑफ कर दी जाएगी। अपने डिपॉज़िटरी (CDSL/NSDL) से आए लिंक से प्लेज स्वीकृत करें।', ['isinCount', 'cutoffTime']],
    },
    push: {
      en: ['Pledge your MTF holdings', 'Pledge {{isinCount}} holding(s) by {{cutoffTime}} or the positions will be squared off.'],
      hi: ['MTF होल्डिंग प्लेज करें', '{{cutoffTime}} तक {{isinCount}} होल्डिंग प्लेज करें, वरना पोजीशन स्क्वेयर ऑफ होगी।'],
    },
  },
  {
    type: 'mtf.margin_call',
    sms: {
      en: 'MTF margin call: shortfall of {{shortfall}} across {{positions}} position(s). Pay by {{dueBy}} or positions may be squared off. -Pravah',
      hi: 'MTF मार्जिन कॉल: {{positions}} पोजीशन में {{shortfall}} की कमी है। {{dueBy}} तक भुगतान करें, अन्यथा पोजीशन स्क्वेयर ऑफ की जा सकती हैं। -प्रवाह',
    },
    whatsapp: {
      en: ['MTF margin call\nYour MTF account has a margin shortfall of {{1}} across {{2}} position(s). Please add funds or pledge collateral by {{3}}, failing which the positions may be squared off.', ['shortfall', 'positions', 'dueBy']],
      hi: ['MTF मार्जिन कॉल\nआपके MTF खाते में {{2}} पोजीशन पर {{1}} के मार्जिन की कमी है। कृपया {{3}} तक फंड जोड़ें या कोलैटरल प्लेज करें, अन्यथा पोजीशन स्क्वेयर ऑफ की जा सकती हैं।', ['shortfall', 'positions', 'dueBy']],
    },
    push: {
      en: ['MTF margin call: {{shortfall}}', 'Pay by {{dueBy}} to avoid square-off of {{positions}} position(s).'],
      hi: ['MTF मार्जिन कॉल: {{shortfall}}', '{{positions}} पोजीशन का स्क्वेयर ऑफ टालने के लिए {{dueBy}} तक भुगतान करें।'],
    },
  },
  {
    type: 'mtf.square_off_warning',
    sms: {
      en: 'MTF square-off warning: {{symbols}} (qty {{qty}}) will be squared off at {{time}} unless {{amount}} is paid. -Pravah',
      hi: 'MTF स्क्वेयर ऑफ चेतावनी: {{amount}} का भुगतान न होने पर {{symbols}} (मात्रा {{qty}}) {{time}} पर स्क्वेयर ऑफ कर दिए जाएँगे। -प्रवाह',
    },
    whatsapp: {
      en: ['MTF square-off warning\nYour MTF positions in {{1}} (quantity {{2}}) will be squared off at {{3}} unless the shortfall of {{4}} is paid before then.', ['symbols', 'qty', 'time', 'amount']],
      hi: ['MTF स्क्वेयर ऑफ चेतावनी\n{{4}} की कमी का भुगतान न होने पर {{1}} में आपकी MTF पोजीशन (मात्रा {{2}}) {{3}} पर स्क्वेयर ऑफ कर दी जाएँगी।', ['symbols', 'qty', 'time', 'amount']],
    },
    push: {
      en: ['MTF square-off at {{time:time}}', 'Pay {{amount}} to keep {{symbols}} (qty {{qty}}).'],
      hi: ['{{time:time}} पर MTF स्क्वेयर ऑफ', '{{symbols}} (मात्रा {{qty}}) बनाए रखने के लिए {{amount}} का भुगतान करें।'],
    },
  },
  {
    type: 'mtf.squared_off',
    sms: {
      en: 'Your MTF positions in {{symbols}} (qty {{qty}}) were squared off at {{time}} due to margin shortfall. Sale value: {{amount}}. -Pravah',
      hi: 'मार्जिन की कमी के कारण {{symbols}} में आपकी MTF पोजीशन (मात्रा {{qty}}) {{time}} पर स्क्वेयर ऑफ कर दी गईं। बिक्री मूल्य: {{amount}}। -प्रवाह',
    },
    whatsapp: {
      en: ['MTF positions squared off\nYour MTF positions in {{1}} (quantity {{2}}) were squared off at {{3}} because the margin shortfall was not met. Sale value: {{4}}. Details are in your contract note.', ['symbols', 'qty', 'time', 'amount']],
      hi: ['MTF पोजीशन स्क्वेयर ऑफ\nमार्जिन की कमी पूरी न होने के कारण {{1}} में आपकी MTF पोजीशन (मात्रा {{2}}) {{3}} पर स्क्वेयर ऑफ कर दी गईं। बिक्री मूल्य: {{4}}। विवरण आपके कॉन्ट्रैक्ट नोट में है।', ['symbols', 'qty', 'time', 'amount']],
    },
    push: {
      en: ['MTF positions squared off', '{{symbols}} (qty {{qty}}) squared off at {{time}}. Sale value {{amount}}.'],
      hi: ['MTF पोजीशन स्क्वेयर ऑफ', '{{symbols}} (मात्रा {{qty}}) {{time}} पर स्क्वेयर ऑफ। बिक्री मूल्य {{amount}}।'],
    },
  },
  {
    type: 'mtf.interest_debited',
    push: {
      en: ['MTF interest debited', '{{interest}} debited as MTF interest for {{period:month}} at {{rate}}% a year.'],
      hi: ['MTF ब्याज डेबिट', '{{period:month}} के लिए {{rate}}% वार्षिक दर से {{interest}} MTF ब्याज डेबिट किया गया।'],
    },
  },
  {
    type: 'fno.margin_shortfall',
    sms: {
      en: 'F&O margin shortfall of {{shortfall}} in your account. Pay by {{dueBy}} to avoid an exchange penalty of about {{penaltyRisk}}. -Pravah',
      hi: 'आपके खाते में {{shortfall}} की F&O मार्जिन कमी है। लगभग {{penaltyRisk}} के एक्सचेंज जुर्माने से बचने के लिए {{dueBy}} तक भुगतान करें। -प्रवाह',
    },
    push: {
      en: ['F&O margin shortfall: {{shortfall}}', 'Pay by {{dueBy}} to avoid a penalty of about {{penaltyRisk}}.'],
      hi: ['F&O मार्जिन कमी: {{shortfall}}', 'लगभग {{penaltyRisk}} के जुर्माने से बचने के लिए {{dueBy}} तक भुगतान करें।'],
    },
  },
  {
    type: 'fno.expiry_reminder',
    // SMS is not a default channel: this is the fallback when WhatsApp fails or stays unconfirmed.
    sms: {
      en: 'Reminder: you hold open F&O contracts expiring on {{expiryDate}}. Close or roll them over before expiry to avoid settlement. Details in the app. -Pravah',
      hi: 'याद दिलाना: आपके खुले F&O कॉन्ट्रैक्ट {{expiryDate}} को एक्सपायर होंगे। सेटलमेंट से बचने के लिए पहले बंद या रोल ओवर करें। विवरण ऐप में। -प्रवाह',
    },
    whatsapp: {
      en: ['Reminder: these open F&O contracts expire on {{1}}:\n{{2}}\nClose or roll them over before expiry if you do not want them to settle.', ['expiryDate', 'contracts']],
      hi: ['याद दिलाना: ये खुले F&O कॉन्ट्रैक्ट {{1}} को एक्सपायर होंगे:\n{{2}}\nअगर आप इनका सेटलमेंट नहीं चाहते, तो एक्सपायरी से पहले इन्हें बंद या रोल ओवर करें।', ['expiryDate', 'contracts']],
    },
    push: {
      en: ['F&O expiry on {{expiryDate}}', 'Open contracts expiring: {{contracts}}.'],
      hi: ['{{expiryDate}} को F&O एक्सपायरी', 'एक्सपायर होने वाले खुले कॉन्ट्रैक्ट: {{contracts}}।'],
    },
  },
  {
    type: 'fno.physical_settlement_obligation',
    sms: {
      en: 'Your open {{symbol}} stock F&O position (qty {{qty}}) will settle by physical delivery at expiry. Obligation: {{obligationValue}}. Keep funds/shares ready. -Pravah',
      hi: 'आपकी {{symbol}} स्टॉक F&O पोजीशन (मात्रा {{qty}}) का एक्सपायरी पर फिज़िकल डिलीवरी से निपटान होगा। दायित्व: {{obligationValue}}। फंड/शेयर तैयार रखें। -प्रवाह',
    },
    whatsapp: {
      en: ['Physical settlement alert\nYour open position in {{1}} (quantity {{2}}) will be settled by physical delivery at expiry. Obligation value: {{3}}. Keep the funds or shares ready, or close the position before expiry.', ['symbol', 'qty', 'obligationValue']],
      hi: ['फिज़िकल सेटलमेंट सूचना\n{{1}} में आपकी खुली पोजीशन (मात्रा {{2}}) का एक्सपायरी पर फिज़िकल डिलीवरी से निपटान होगा। दायित्व मूल्य: {{3}}। फंड या शेयर तैयार रखें, या एक्सपायरी से पहले पोजीशन बंद करें।', ['symbol', 'qty', 'obligationValue']],
    },
    push: {
      en: ['Physical settlement: {{symbol}}', 'Qty {{qty}} settles by delivery at expiry. Obligation {{obligationValue}}.'],
      hi: ['फिज़िकल सेटलमेंट: {{symbol}}', 'मात्रा {{qty}} का एक्सपायरी पर डिलीवरी से निपटान। दायित्व {{obligationValue}}।'],
    },
  },
  {
    type: 'fno.ban_period',
    push: {
      en: ['{{symbol}} in F&O ban', '{{symbol}} is in the F&O ban period on {{banDate}}: you can only reduce open positions.'],
      hi: ['{{symbol}} F&O बैन में', '{{banDate}} को {{symbol}} F&O बैन अवधि में है: आप केवल खुली पोजीशन घटा सकते हैं।'],
    },
  },
  {
    type: 'rms.auto_square_off',
    sms: {
      en: '{{symbol}} (qty {{qty}}) was squared off by our risk system at {{time}}. Reason: {{reason}}. -Pravah',
      hi: 'हमारे रिस्क सिस्टम ने {{time}} पर {{symbol}} (मात्रा {{qty}}) स्क्वेयर ऑफ किया। कारण: {{reason}}। -प्रवाह',
    },
    push: {
      en: ['Auto square-off: {{symbol}}', 'Qty {{qty}} squared off at {{time}}. Reason: {{reason}}.'],
      hi: ['ऑटो स्क्वेयर ऑफ: {{symbol}}', 'मात्रा {{qty}} {{time}} पर स्क्वेयर ऑफ। कारण: {{reason}}।'],
    },
  },
  {
    type: 'corporate_action.announced',
    push: {
      en: ['{{symbol}}: {{action}}', '{{action}} announced ({{detail}}). Record date: {{recordDate}}.'],
      hi: ['{{symbol}}: {{action}}', '{{action}} की घोषणा ({{detail}})। रिकॉर्ड तिथि: {{recordDate}}।'],
    },
  },
];
