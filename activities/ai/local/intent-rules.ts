/**
 * Weighted keyword/phrase rules per intent, matched against folded text (lower-case, no accents, no
 * apostrophes, punctuation as spaces). Each rule encodes a concept ("asks for a person", "mentions a
 * chargeback") rather than a sentence; weights roughly: 1 = hint, 2 = typical cue, 3-4 = decisive.
 */
import type { Intent } from './triage.js';

export interface IntentRule {
  intent: Intent;
  weight: number;
  pattern: RegExp;
  reason: string;
}

const r = (intent: Intent, weight: number, pattern: RegExp, reason: string): IntentRule => ({ intent, weight, pattern, reason });
const PERSON = '(?:a |an |the |some |one of your )?(?:real |actual |live |human )?(?:person|human|someone|somebody|agent|employee|manager|supervisor|representative|rep|staff|colleague|operator|people|team member|customer (?:service|support|care)|support team|support|helpdesk|klantenservice)';

export const INTENT_RULES: IntentRule[] = [
  // greeting / thanks / small talk
  r('greeting', 1.5, /^(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening|day)|hallo|hoi|hee|goedemorgen|goedemiddag|goedenavond|dag|hola|bonjour|guten (?:tag|morgen))\b/, 'opens with a greeting'),
  r('greeting', 2, /\b(?:thanks|thank you|thx|cheers|bedankt|dank (?:je|u|jullie)|merci|gracias|danke)\b/, 'says thanks'),
  r('greeting', 1, /\b(?:hope you(?:re| are) (?:well|good)|how are you|have a (?:nice|great|good) (?:day|weekend)|fijne dag)\b/, 'small talk'),
  r('greeting', 2.5, /\b(?:love (?:it|them|my)|(?:is|are) perfect|(?:great|good|nice|excellent|fantastic|amazing) (?:service|job|work)|well done|fits? (?:perfectly|like a glove)|(?<!(?:not|never|niet|nooit|so|less than) )(?:happy|pleased|satisfied|delighted) with|(?:you|jullie) (?:rock|(?:are|zijn) (?:top|great|the best|geweldig|super|amazing|awesome))|precies goed|past (?:perfect|precies)|super blij|blij met|tevreden (?:met|over))\b/, 'compliment'),
  // order status
  r('order_status', 3, /\b(?:where(?:s| is) my (?:order|package|parcel|delivery|stuff|shipment)|waar (?:is|blijft) mijn (?:bestelling|pakket|pakketje|order)|wo ist meine|donde esta mi pedido)\b/, 'asks where the order is'),
  r('order_status', 2.5, /\b(?:status|update) (?:of|on|for|van) (?:my |mijn )?(?:order|bestelling|package|parcel|purchase)|order status\b/, 'asks for order status'),
  r('order_status', 2, /\b(?:tracking|track (?:and|&|en) trace|trackingcode|tracking code|tracking number|volgnummer)\b/, 'mentions tracking'),
  r('order_status', 2.5, /\b(?:(?:hasnt|has not|havent|have not|not yet|still not|niet|nog niet|never) (?:been )?(?:shipped|arrived|received|delivered|got it|verzonden|aangekomen|ontvangen|geleverd|bezorgd)|never (?:got|received|arrived)|nooit (?:ontvangen|aangekomen))\b/, 'order not received or not shipped'),
  r('order_status', 3, /\b(?:says|said|shows|showed|marked as|status is|claims|staat op) (?:it was |it is |he |she |they |that it was )?(?:delivered|bezorgd|afgeleverd|geleverd)\b|\bdelivered (?:to|at) (?:my |the )?(?:neighbou?r|wrong address|buren)|\b(?:supposed|expected|due) to (?:arrive|be delivered|be here)/, 'marked delivered but missing'),
  r('order_status', 1, /\b(?:my|mijn) (?:order|bestelling|package|parcel|pakket|pakketje|delivery|levering|zending)\b|\border (?:number |nr |no )?#?\d{3,}|#\d{4,}/, 'refers to an order'),
  r('order_status', 1.5, /\b(?:when will (?:my|it|the order)|wanneer (?:komt|krijg ik) (?:mijn|het)|still waiting|nog steeds wachten|wacht al|niks gehoord|niets gehoord|is (?:it|my order) on (?:its|the) way)\b/, 'waiting for the order'),
  r('order_status', 2.5, /\b(?:where is the rest|(?:only|just) (?:got|received|ontvangen) (?:one|part|half|\d)|(?:item|items|part|parts|artikel) (?:is |are )?missing|(?:hasnt|has not|havent|not|niet) (?:moved|updated|changed|bewogen)|no (?:movement|tracking update))\b/, 'parcel stuck or part of the order missing'),
  r('order_status', 1.5, /\b(?:late|delayed|delay|vertraagd|vertraging|te laat|lost|kwijt)\b/, 'delivery delayed or lost'),
  // shipping
  r('shipping_question', 2.5, /\b(?:shipping|delivery|postage|verzend|verzending|verzendkosten|bezorgkosten|levering|levertijd|versand|envio|livraison)\b/, 'mentions shipping or delivery'),
  r('shipping_question', 2.5, /\b(?:if (?:i|we) (?:order|place (?:an|my) order|buy)|when (?:i|we) (?:order|buy)|(?:order|ordering) (?:today|now|tonight|before \w+))\b/, 'asks about delivery before ordering'),
  r('shipping_question', 2, /\b(?:do you|can you|will you|jullie) (?:also )?(?:ship|deliver|send|verzenden|bezorgen|leveren)|\b(?:ship|deliver|send|verzenden|bezorgen) (?:to|naar|on|op|internationally|abroad|outside)\b/, 'asks where or when we deliver'),
  r('shipping_question', 2, /\b(?:pick ?up point|pickup point|parcel (?:locker|shop)|afhaalpunt|servicepunt|postnl|dhl|dpd|ups|gls|courier|carrier|customs|import (?:tax|duties|duty)|(?:different|another|other|work|billing|delivery|shipping) address|douane|invoerrechten|express)\b/, 'asks about carriers, pick-up points or customs'),
  // returns and refunds
  r('return_refund', 3, /\b(?:return|returns|returning|refund|refunded|money back|send (?:it |them )?back|exchange|swap|retour|retourneren|terugsturen|terug sturen|geld terug|ruilen|omruilen|terugbetaling|zuruckschicken|rucksendung|umtauschen|ruckerstattung|erstattung|devolver|devolucion|reembolso|rembourse|retourner|echanger)\b/, 'mentions a return, exchange or refund'),
  // product questions
  r('product_question', 2.5, /\b(?:waterproof|water resistant|water repellent|breathable|windproof|insulated|material|made of|fabric|merino|wool|gore ?tex|certified|certification|sustainab\w*|ethical|recycled|pfc|pfas|fluorocarbon|rds|bluesign|fair ?wear|vegan|waterdicht|ademend|materiaal|wasserdicht|impermeable)\b/, 'asks about materials or features'),
  r('product_question', 2.5, /\b(?:what size|which size|size (?:should|do) i|size up|size down|sizing|size chart|size guide|fit (?:true|small|large)|runs? (?:small|large|big)|true to size|welke maat|valt (?:hij|het|deze|ze)? ?(?:klein|groot)|maattabel)\b/, 'asks for size advice'),
  r('product_question', 2.5, /\b(?:how (?:should|do|can) i (?:wash|clean|care|dry|store|waterproof|reproof)|washing|wash|care instructions|dryer|tumble dr(?:y|ied|ier)|machine washable|be (?:washed|dried|ironed)|iron|wassen|onderhoud|recommend|difference between|suitable for|(?:warm|big|long|light|strong) enough|how (?:warm|heavy|big|long|wide|light|thick)|good for|(?:come|comes) with|included|geschikt voor|aanraden)\b/, 'asks for care or product advice'),
  // stock
  r('stock_inquiry', 3, /\b(?:in stock|back in stock|out of stock|restock|restocked|restocking|sold out|available again|be available|still available|(?:is|are) (?:it|they|the \w+(?: \w+)?) available|available in|op voorraad|weer leverbaar|uitverkocht|weer beschikbaar|auf lager|wieder (?:da|verfugbar|lieferbar)|otra vez|de nuevo|disponible|agotad[oa]|en stock)\b/, 'asks about stock or availability'),
  r('stock_inquiry', 3, /\b(?:do you (?:still )?have|have you got|hebben jullie|heb je|tienen|teneis|hay|vous avez|haben sie)\b.*\b(?:size|maat|talla|taille|grosse|in (?:xs|s|m|l|xl|xxl|small|medium|large|extra large|\d{2}))\b|\b(?:do you (?:still )?have|have you got|hebben jullie)\b.*\bin (?:the|your|de) (?:\w+ )?(?:shop|store|winkel)\b|\b(?:notify|let me know|alert|email) me when\b|\bwhen (?:will|do) you (?:get|have) (?:more|new|it|them)\b/, 'asks for a size or a restock alert'),
  // pricing and payment
  r('pricing_payment', 2.5, /\b(?:price|prices|pricing|how much (?:is|does|are)(?! (?:shipping|delivery|postage))|cost of|discount|discounts|cheaper|more expensive|expensive|goedkoper|duurder|korting|kortingscode|coupon|promo ?code|voucher|gift ?card|cadeaukaart|cadeaubon|sale)\b/, 'asks about prices or discounts'),
  r('pricing_payment', 3, /\b(?:pay|paying|payment|betalen|betaling|klarna|(?:with|via|met|by|through|using|accept) ideal|ideal (?:payment|betaling)|paypal|afterpay|in3|credit ?card|debit card|apple pay|google pay|invoice|factuur|installments?|termijnen|checkout|bezahlen|pagar)\b/, 'asks about payment'),
  r('pricing_payment', 2, /\b(?:charged (?:twice|double|two times)|double charged|dubbel (?:betaald|afgeschreven)|overcharged)\b/, 'reports a billing error'),
  // complaints and risk cues
  r('complaint', 3, /\b(?:disappointed|disappointing|unacceptable|terrible|awful|horrible|worst|ridiculous|disgrace|fed up|furious|angry|outrageous|not happy|unhappy|never again|poor (?:quality|service)|not (?:ok|okay|acceptable|fine|right)|niet (?:ok|oke|acceptabel|normaal)|terribly|ontevreden|rubbish|useless|scandalous|teleurgesteld|belachelijk|schandalig|slechte (?:service|kwaliteit)|waardeloos|boos|klacht|complaint)\b/, 'expresses dissatisfaction'),
  r('complaint', 2.5, /\b(?:broke|broken|ripped|torn|fell apart|came (?:off|apart|loose)|leaks|leaking|defect|defective|faulty|damaged|shr[au]nk|faded|pilling|discolou?red|gekrompen|verkleurd|stopped working|kapot|(?:is|zijn|ging|gaat|was) stuk|stukgegaan|lekt|beschadigd)\b/, 'reports a defect or damage'),
  r('complaint', 2, /\b(?:(?:nobody|no one|noone) (?:answers|responds|replies|helps|gets back)|no (?:reply|response|answer) (?:to|from)|third time|(?:three|four|several|multiple|many) times|for the (?:\w+ )?time|again and again|without (?:any |an )?(?:answer|reply|response)|still no (?:answer|reply|response)|(?:is|are) a joke|rude|threw|thrown|careless|unprofessional|impolite|onbeleefd)\b/, 'complains about service'),
  r('complaint', 4, /\b(?:chargeback|charge back|(?:open|file|start|raise) (?:a )?(?:dispute|claim|case) (?:with|at|via|through)|paypal (?:dispute|claim)|dispute (?:the|this) (?:charge|payment)|lawyer|attorney|solicitor|advocaat|legal action|sue you|court|police|politie|consumer (?:authority|protection)|trading standards|acm|consumentenbond|geschillencommissie|report you)\b/, 'threatens chargeback, legal action or authorities'),
  r('complaint', 4, /\b(?:burn|burns|burned|burnt|injury|injured|hurt|rash|allergic|bleeding|caught fire|dangerous|unsafe|safety (?:issue|hazard|risk)|poison|verbrand|gewond|gevaarlijk)\b/, 'reports a safety issue or injury'),
  r('complaint', 4, /\b(?:(?:someone|somebody|iemand) (?:has |have |heeft )?(?:is using|used|changed|reset|accessed|hacked|logged into|got into|took over|gebruikt|veranderd|gewijzigd) (?:\w+ ){0,2}(?:my|mijn) (?:account|password|wachtwoord|login|email)|hacked|account (?:was |has been )?(?:hacked|compromised|taken over)|orders? i (?:didnt|did not|never) (?:make|place|placed)|unauthori[sz]ed|fraudulent|not made by me)\b/, 'reports an account takeover'),
  // human request
  r('human_request', 3.5, new RegExp(`\\b(?:talk|speak|chat|get through) (?:to|with) ${PERSON}\\b`), 'asks to talk to a person'),
  r('human_request', 3.5, new RegExp(`\\b(?:get|give|put|transfer|connect|pass) me (?:to |with |through to |over to )?${PERSON}\\b`), 'asks to be transferred to a person'),
  r('human_request', 3, /\b(?:real person|real human|actual person|live agent|human agent|human please|(?:dont|do not|no) (?:want (?:to (?:talk|chat|speak) (?:to|with) )?)?(?:a |the |this |your )?(?:bot|robot|chatbot|machine|computer)|(?:are you|is this) a (?:bot|robot)|(?:not|no more|stop sending me|enough with the) (?:automated|automatic|canned|standard|generic) (?:answers|replies|responses|messages)|(?:this|the|stupid|useless) (?:bot|chatbot) (?:is|doesnt|does not|cant|cannot)|medewerker|echt(?:e)? (?:mens|persoon)|iemand (?:spreken|bellen)|mitarbeiter|hablar con una persona)\b/, 'does not want a bot'),
  r('human_request', 3, new RegExp(`\\b(?<!not |dont |never )(?:call|phone|ring|contact) me(?: back)?\\b|\\bterugbellen|bel (?:me|mij)\\b|\\b(?:someone|somebody) (?:from your (?:team|company|store|shop) )?(?:to )?(?:call|phone|contact)\\b`), 'asks for a call back'),
  r('human_request', 3, /\b(?:(?:someone|somebody|a person|an agent|a human|iemand) (?:on|aan) (?:the|de) (?:phone|line|lijn)|phone call with|telefonisch (?:contact|spreken)|contact (?:met|with) (?:een|a|an) (?:medewerker|person|employee))\b/, 'asks for a phone call'),
  // job application
  r('job_application', 3.5, /(?<!(?:great|good|nice|amazing|excellent|fantastic|fine|top|brilliant) )\b(?:job|jobs|vacancy|vacancies|hiring|recruiting|career|careers|resume|cv|internship|work placement|part ?time work|workers|openings|positions? (?:available|open)|seasonal (?:work|staff|help)|(?:need|hiring|looking for) (?:new |extra |more )?(?:staff|people|employees|workers|help)|vacature|vacatures|sollicit\w*|bijbaan|stageplek|stage lopen|bewerben|bewerbung|empleo|trabajo)\b/, 'asks about a job or vacancy'),
  r('job_application', 2.5, /\b(?:apply (?:for|as|to work)|how (?:do|can|could) i apply|(?:job |open )?application (?:for|letter)|work (?:for|at|with) you|join your team|years of experience|werken bij)\b/, 'wants to apply or work with us'),
  // campaign reply
  r('campaign_reply', 2.5, /^(?:yes|yess+|yeah|yep|ja|jazeker|si|oui|sure|absolutely|definitely)\b/, 'replies yes to a message'),
  r('campaign_reply', 3, /\b(?:i want|i(?:d| would) like|i ll take|send me|reserve|ik wil) (?:the|that|this|your|de|die|deze) (?:offer|deal|discount|promo|promotion|code|voucher|gift|link|aanbieding|actie)\b|\b(?:count me in|sign me up|im in|i am in|ik doe mee|interested in the (?:offer|deal|promotion)|i(?:d| would) love (?:the|that|this|to get)|(?:code|offer|deal|discount|voucher|promo) (?:you|u) (?:mentioned|sent|offered|promised|advertised|posted))\b/, 'takes up an offer'),
  r('campaign_reply', 2, /\b(?:sounds (?:great|good|amazing)|(?<!(?:not|niet|no longer|geen) )(?:interested|interesse)|new (?:\w+ )?collection|early access|newsletter offer|tell me more|send me (?:the |more )?(?:link|info|details))\b/, 'shows interest in a promotion'),
  // opt-out
  r('opt_out', 5, /^(?:stop|stopp|unsubscribe|opt out|optout|end|cancel|quit|afmelden|uitschrijven|abmelden|stop all)$/, 'single opt-out keyword'),
  r('opt_out', 4, /\b(?:unsubscribe|opt (?:me )?out|(?:stop|quit) (?:sending|texting|emailing|messaging|contacting|spamming)(?! (?:me )?(?:automated|automatic|canned|standard|generic|bot))|(?:no|dont want|do not want) (?:more |any )?(?:ads|adverts|advertising|promotions)|not interested|geen interesse|niet geinteresseerd|no more (?:messages|texts|emails|sms|marketing|promotions|newsletters?)|remove me from|take me off|(?:haal|zet|verwijder) (?:me|mij) (?:van|uit|af)|mailinglijst|verzendlijst|(?:dont|do not) (?:contact|message|text|email) me|afmelden|uitschrijven|geen (?:berichten|nieuwsbrief|reclame|mails) meer|abmelden|darse de baja)\b/, 'asks to stop receiving messages'),
  // spam
  r('spam', 4, /\b(?:click here|klik hier|you (?:have|ve) won|win an?|winner|claim your|free (?:iphone|gift card|prize)|prize|lottery|crypto|bitcoin|forex|investment opportunity|casino|free spins|loan|seo|backlinks?|guest post|ranking|page 1 on google|followers|lead generation|marketing agency|web design services|verify your account)\b/, 'looks like spam or an unsolicited offer'),
  r('spam', 4, /\b(?:(?:parcel|package|account|payment) (?:is |was )?(?:on hold|suspended|locked)|pay (?:the|a) (?:small )?(?:customs |delivery |release )?fee|confirm your (?:details|identity|card)|prince|million (?:dollars|euros)|inheritance|beneficiary|western union|wire transfer|gift cards? as payment)\b/, 'phishing or scam pattern'),
  r('spam', 3, /\b(?:promote (?:it|this|your (?:brand|shop|page|store|business))|dm (?:us|me) (?:for|to)|collab|\w+followers\w*|sponsored post|(?:buy|purchase|rent) (?:our|an?|this) (?:\w+ )?(?:list|database|leads)|email list|b2b leads)/, 'self-promotion'),
  r('spam', 2, /\b(?:we offer|our services|book a demo|reply for pricing|boost your|grow your business|limited time offer|act now|gefeliciteerd)\b/, 'sales pitch'),
  // privacy
  r('privacy_request', 4, /\b(?:gdpr|avg verzoek|privacy|personal data|personal information|my data|my details|my information|persoonsgegevens|gegevens|right to be forgotten|data (?:request|access|subject)|meine daten|mis datos)\b/, 'asks about personal data (GDPR)'),
  r('privacy_request', 2, /\b(?:delete|erase|remove|verwijder|loschen|borrar) (?:all )?(?:my |mijn )?(?:account|data|details|information|gegevens|profile)\b|\bwhat (?:data|information) do you (?:have|hold|store|keep)\b|\b(?:delete|erase|remove|wipe|verwijder) (?:all )?(?:my |mijn )(?:\w+ ){0,4}(?:from|uit) (?:your|jullie) (?:system|systems|database|records|files|systeem|bestand)/, 'asks to delete or see stored data'),
  r('privacy_request', 4, /\b(?:do|did|will|why) (?:you|jullie) (?:store|keep|save|share|sell|hold|use|process) (?:my|our) (?:\w+ ){0,2}(?:details|data|information|gegevens)\b|\b(?:welke|wat voor) gegevens\b/, 'asks how we handle their data'),
  // store information
  r('store_info', 3.5, /\b(?:opening (?:hours|times)|open(?:ing)? (?:today|tomorrow|on|late|until)|what time do you (?:open|close)|(?:are|is) (?:you|the (?:store|shop))(?: still)? open|close today|closing time|openingstijden|openingsuren|geopend|geoffnet|horario)\b/, 'asks about opening hours'),
  r('store_info', 3, /\b(?:(?:your|the|store|shop|winkel) (?:address|location)|address of (?:your|the) (?:store|shop)|what is (?:your|the) address|located|directions|parking|park (?:my |the |a )?(?:car|bike)|parkeren|where is (?:your|the) (?:store|shop)|physical (?:store|shop)|(?:visit|find|reach|get to) (?:your|the) (?:store|shop)|adres|waar zit|winkel in|tienda)\b/, 'asks where the store is'),
];

export interface RuleHit {
  intent: Intent;
  weight: number;
  reason: string;
}

export function matchIntentRules(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of INTENT_RULES) {
    if (rule.pattern.test(text)) hits.push({ intent: rule.intent, weight: rule.weight, reason: rule.reason });
  }
  return hits;
}
