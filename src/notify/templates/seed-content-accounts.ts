// Default wording for the account-side events (KYC, contacts, nomination, segments, security,
// funds, depository), English and Hindi side by side so a translation is reviewed with its source.
// English SMS stay in GSM-7 (amounts read Rs.); Hindi ones are Unicode. `{{x|…}}` is the text used
// when an optional variable is absent.
import type { SeedEntry } from './seed-templates.ts';

export const accountSeeds: SeedEntry[] = [
  {
    type: 'kyc.approved',
    sms: {
      en: 'Dear {{name|Investor}}, your KYC is approved. Client code: {{clientCode}}. Active segments: {{segments|none yet}}. -Pravah',
      hi: 'प्रिय {{name|निवेशक}}, आपका KYC स्वीकृत हो गया है। क्लाइंट कोड: {{clientCode}}। सक्रिय सेगमेंट: {{segments|अभी कोई नहीं}}। -प्रवाह',
    },
    whatsapp: {
      en: ['Hello {{1}}, your KYC has been approved. Your client code is {{2}}. Segments active now: {{3}}. You can start trading from the Pravah app.', ['name|Investor', 'clientCode', 'segments|none yet']],
      hi: ['नमस्ते {{1}}, आपका KYC स्वीकृत हो गया है। आपका क्लाइंट कोड {{2}} है। अभी सक्रिय सेगमेंट: {{3}}। आप Pravah ऐप से ट्रेडिंग शुरू कर सकते हैं।', ['name|निवेशक', 'clientCode', 'segments|अभी कोई नहीं']],
    },
    push: {
      en: ['KYC approved', 'Your account {{clientCode}} is ready. Active segments: {{segments|none yet}}.'],
      hi: ['KYC स्वीकृत', 'आपका खाता {{clientCode}} तैयार है। सक्रिय सेगमेंट: {{segments|अभी कोई नहीं}}।'],
    },
  },
  {
    type: 'kyc.on_hold',
    sms: {
      en: 'Your KYC has been put on hold by the KRA (reason {{reasonCode}}). You cannot trade until it is resolved. Update documents: {{link|Pravah app > Profile}} -Pravah',
      hi: 'KRA ने आपका KYC होल्ड पर रखा है (कारण कोड {{reasonCode}})। समाधान होने तक आप ट्रेड नहीं कर सकते। दस्तावेज़ अपडेट करें: {{link|Pravah ऐप > प्रोफ़ाइल}} -प्रवाह',
    },
    whatsapp: {
      en: ['Your KYC is on hold at the KRA.\nReason: {{1}} ({{2}})\nYou cannot place trades until this is resolved. Please update your documents here: {{3}}', ['reasonText|Details are in the app', 'reasonCode', 'link|Pravah app > Profile > KYC']],
      hi: ['KRA पर आपका KYC होल्ड पर है।\nकारण: {{1}} ({{2}})\nसमाधान होने तक आप ट्रेड नहीं कर सकते। कृपया अपने दस्तावेज़ यहाँ अपडेट करें: {{3}}', ['reasonText|विवरण ऐप में देखें', 'reasonCode', 'link|Pravah ऐप > प्रोफ़ाइल > KYC']],
    },
  },
  {
    type: 'kyc.rejected',
    sms: {
      en: 'Your KYC application was rejected by the KRA (reason {{reasonCode}}). Please resubmit corrected documents: {{link|Pravah app > Profile}} -Pravah',
      hi: 'KRA ने आपका KYC आवेदन अस्वीकार कर दिया है (कारण कोड {{reasonCode}})। कृपया सही दस्तावेज़ फिर से जमा करें: {{link|Pravah ऐप > प्रोफ़ाइल}} -प्रवाह',
    },
    whatsapp: {
      en: ['Your KYC application was rejected by the KRA.\nReason: {{1}} ({{2}})\nPlease resubmit corrected documents here: {{3}}', ['reasonText|Details are in the app', 'reasonCode', 'link|Pravah app > Profile > KYC']],
      hi: ['KRA ने आपका KYC आवेदन अस्वीकार कर दिया है।\nकारण: {{1}} ({{2}})\nकृपया सही दस्तावेज़ यहाँ फिर से जमा करें: {{3}}', ['reasonText|विवरण ऐप में देखें', 'reasonCode', 'link|Pravah ऐप > प्रोफ़ाइल > KYC']],
    },
  },
  {
    type: 'kyc.kra_status_changed',
    push: {
      en: ['KRA status updated', 'Your KYC status at {{kra}} changed from {{oldStatus:kra_status}} to {{newStatus:kra_status}}.'],
      hi: ['KRA स्थिति अपडेट', '{{kra}} पर आपकी KYC स्थिति {{oldStatus:kra_status}} से बदलकर {{newStatus:kra_status}} हो गई है।'],
    },
  },
  {
    type: 'account.contact_changed',
    sms: {
      en: 'The {{field}} on your Pravah account {{clientCode}} was changed to {{maskedNewValue|a new value}}. Time: {{time|just now}}. Not you? Call us immediately. -Pravah',
      hi: 'आपके Pravah खाते {{clientCode}} का {{field}} बदलकर {{maskedNewValue|नया}} कर दिया गया है। समय: {{time|अभी}}। यह आपने नहीं किया? तुरंत हमें कॉल करें। -प्रवाह',
    },
  },
  {
    type: 'kyc.revalidation_due',
    sms: {
      en: 'Your KYC is due for revalidation by {{dueDate}}. Complete it at {{link|Pravah app > Profile}} to keep your account active. -Pravah',
      hi: 'आपके KYC का पुनः सत्यापन {{dueDate}} तक करना ज़रूरी है। खाता सक्रिय रखने के लिए इसे यहाँ पूरा करें: {{link|Pravah ऐप > प्रोफ़ाइल}} -प्रवाह',
    },
    whatsapp: {
      en: ['Your KYC must be revalidated by {{1}}. Complete it here to keep your account active: {{2}}', ['dueDate', 'link|Pravah app > Profile > KYC']],
      hi: ['आपके KYC का पुनः सत्यापन {{1}} तक ज़रूरी है। खाता सक्रिय रखने के लिए इसे यहाँ पूरा करें: {{2}}', ['dueDate', 'link|Pravah ऐप > प्रोफ़ाइल > KYC']],
    },
    push: {
      en: ['KYC revalidation due', 'Revalidate your KYC by {{dueDate}} to keep trading without interruption.'],
      hi: ['KYC पुनः सत्यापन बाकी', 'बिना रुकावट ट्रेडिंग जारी रखने के लिए {{dueDate}} तक अपना KYC पुनः सत्यापित करें।'],
    },
  },
  {
    type: 'nomination.pending',
    sms: {
      en: 'As SEBI requires, add a nominee or opt out of nomination for your trading and demat account by {{deadline}}: {{link}} -Pravah',
      hi: 'SEBI के नियम के अनुसार {{deadline}} तक अपने ट्रेडिंग और डीमैट खाते में नॉमिनी जोड़ें या नॉमिनेशन से ऑप्ट-आउट करें: {{link}} -प्रवाह',
    },
    whatsapp: {
      en: ['SEBI requires every trading and demat account to have a nominee or a nomination opt-out. Please complete yours by {{1}}: {{2}}', ['deadline', 'link']],
      hi: ['SEBI के अनुसार हर ट्रेडिंग और डीमैट खाते में नॉमिनी या नॉमिनेशन ऑप्ट-आउट होना ज़रूरी है। कृपया {{1}} तक इसे पूरा करें: {{2}}', ['deadline', 'link']],
    },
  },
  {
    type: 'nomination.updated',
    sms: {
      en: 'Your nomination details were updated. Nominees on record: {{nomineeCount}}. Ref: {{refNo|NA}}. Not you? Call us immediately. -Pravah',
      hi: 'आपके नॉमिनेशन का विवरण अपडेट किया गया है। दर्ज नॉमिनी: {{nomineeCount}}। संदर्भ: {{refNo|NA}}। यह आपने नहीं किया? तुरंत हमें कॉल करें। -प्रवाह',
    },
  },
  {
    type: 'segment.activated',
    sms: {
      en: 'The {{segment}} segment is now active on your account {{clientCode}}, effective {{effectiveDate|today}}. -Pravah',
      hi: 'आपके खाते {{clientCode}} पर {{segment}} सेगमेंट {{effectiveDate|आज}} से सक्रिय है। -प्रवाह',
    },
    push: {
      en: ['{{segment}} segment active', 'You can now trade in {{segment}}, effective {{effectiveDate|today}}.'],
      hi: ['{{segment}} सेगमेंट सक्रिय', 'अब आप {{effectiveDate|आज}} से {{segment}} में ट्रेड कर सकते हैं।'],
    },
  },
  {
    type: 'security.new_device_login',
    sms: {
      en: 'New login to your Pravah account from {{device}} ({{city|location unknown}}) at {{time}}. Not you? Change your password and call us now. -Pravah',
      hi: 'आपके Pravah खाते में {{device}} ({{city|स्थान अज्ञात}}) से {{time}} पर नया लॉगिन हुआ। यह आप नहीं थे? तुरंत पासवर्ड बदलें और हमें कॉल करें। -प्रवाह',
    },
    push: {
      en: ['New device sign-in', 'Signed in from {{device}} ({{city|location unknown}}) at {{time}}. Not you? Change your password now.'],
      hi: ['नए डिवाइस से लॉगिन', '{{time}} पर {{device}} ({{city|स्थान अज्ञात}}) से लॉगिन हुआ। यह आप नहीं थे? तुरंत पासवर्ड बदलें।'],
    },
  },
  {
    type: 'funds.payin_received',
    // SMS is not a default channel: this is the fallback when WhatsApp fails or stays unconfirmed.
    sms: {
      en: 'We have received {{amount}} via {{mode}} in your trading account {{clientCode}}. Available balance: {{balance}}. -Pravah',
      hi: 'आपके ट्रेडिंग खाते {{clientCode}} में {{mode}} से {{amount}} प्राप्त हुए। उपलब्ध बैलेंस: {{balance}}। -प्रवाह',
    },
    whatsapp: {
      en: ['We have received {{1}} via {{2}} in your trading account {{3}}. Your available balance is now {{4}}.', ['amount', 'mode', 'clientCode', 'balance']],
      hi: ['आपके ट्रेडिंग खाते {{3}} में {{2}} से {{1}} प्राप्त हुए हैं। अब आपका उपलब्ध बैलेंस {{4}} है।', ['amount', 'mode', 'clientCode', 'balance']],
    },
    push: {
      en: ['Funds received', '{{amount}} received via {{mode}}. Available balance: {{balance}}.'],
      hi: ['राशि प्राप्त हुई', '{{mode}} से {{amount}} प्राप्त हुए। उपलब्ध बैलेंस: {{balance}}।'],
    },
  },
  {
    type: 'funds.payout_processed',
    sms: {
      en: 'Payout of {{amount}} from your trading account has been sent to bank a/c {{bankMasked}}. UTR: {{utr}}. -Pravah',
      hi: 'आपके ट्रेडिंग खाते से {{amount}} का भुगतान बैंक खाते {{bankMasked}} में भेज दिया गया है। UTR: {{utr}}। -प्रवाह',
    },
    push: {
      en: ['Payout processed', '{{amount}} sent to bank a/c {{bankMasked}}. UTR {{utr}}.'],
      hi: ['भुगतान भेजा गया', '{{amount}} बैंक खाते {{bankMasked}} में भेजे गए। UTR {{utr}}।'],
    },
  },
  {
    type: 'funds.running_account_settled',
    sms: {
      en: 'Your running account was settled on {{settleDate}} as per SEBI rules. Funds paid to your bank: {{amountPaid}}. Retained: {{retained}}. -Pravah',
      hi: 'SEBI नियमों के अनुसार आपके रनिंग अकाउंट का निपटान {{settleDate}} को किया गया। आपके बैंक में भेजी गई राशि: {{amountPaid}}। रोकी गई राशि: {{retained}}। -प्रवाह',
    },
  },
  {
    type: 'depository.ddpi_or_pledge_changed',
    sms: {
      en: '{{action}} on your demat account. ISIN: {{isin|NA}}, qty: {{qty|NA}}, ref: {{ref}}. Not done by you? Call us immediately. -Pravah',
      hi: 'आपके डीमैट खाते पर {{action}}। ISIN: {{isin|NA}}, मात्रा: {{qty|NA}}, संदर्भ: {{ref}}। यह आपने नहीं किया? तुरंत हमें कॉल करें। -प्रवाह',
    },
  },
];
