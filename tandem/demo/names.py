"""Word lists for the demo company and the large data set: people, places and organisations."""


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words(
    """
    Aaron Abigail Adrian Aisha Alan Alicia Amir Andrea Angela Anil Ben Beth Blake Brenda Brian
    Caleb Camila Carla Carlos Carmen Chloe Chris Claire Colin Dana Daniel Deborah Derek Diana
    Diego Elena Eli Emily Eric Erin Farah Felix Fiona Frank Gabriel Gina Grant Hannah Hector
    Helen Ian Imani Irene Isaac Jamal James Janet Jason Jenna Joel Jordan Julia Karen Keith
    Kelly Kevin Kim Laura Leo Linda Logan Lucia Malik Marco Maria Mark Maya Megan Miguel Monica
    Nadia Nathan Nina Noah Olivia Omar Paige Paul Rachel Raj Rebecca Ricardo Rosa Ryan Sara
    Scott Simone Stephen Tanya Teresa Tyler Valerie Victor Wendy Yusuf Zoe
    """
)

LAST_NAMES = _words(
    """
    Abbott Adeyemi Alvarez Anderson Baker Banerjee Barnes Bennett Brooks Burke Campbell Carter
    Castillo Chang Coleman Collins Cooper Cruz Daniels Dawson Delgado Dixon Doyle Duncan
    Edwards Ellis Estrada Fleming Foster Garcia Gibson Gordon Graham Greene Hale Hansen Harper
    Hayes Hoffman Holland Hughes Ibrahim Jackson Jensen Kaplan Keller Khan Kowalski Lambert
    Larson Lee Lopez Lowe Malone Marsh Martin Mendez Meyer Mitchell Morales Murphy Nakamura
    Nelson Nguyen Novak Oliver Ortiz Owens Park Patel Pearson Perry Porter Quinn Ramirez Reed
    Reyes Robinson Romero Russo Sanders Schmidt Shah Shaw Singh Sullivan Tanaka Thompson Torres
    Tran Vargas Vaughn Wagner Walsh Ward Watts Whitfield Wong Yamamoto Young Zimmerman
    """
)

# (city, region, area code, postal code)
CITIES = [
    ("Chicago", "IL", "312", "60601"),
    ("Milwaukee", "WI", "414", "53202"),
    ("Minneapolis", "MN", "612", "55401"),
    ("Indianapolis", "IN", "317", "46204"),
    ("Columbus", "OH", "614", "43215"),
    ("Detroit", "MI", "313", "48226"),
    ("St. Louis", "MO", "314", "63101"),
    ("Kansas City", "MO", "816", "64105"),
    ("Nashville", "TN", "615", "37203"),
    ("Denver", "CO", "303", "80202"),
    ("Dallas", "TX", "214", "75201"),
    ("Atlanta", "GA", "404", "30303"),
    ("Boston", "MA", "617", "02110"),
    ("New York", "NY", "212", "10001"),
    ("Seattle", "WA", "206", "98101"),
    ("Las Vegas", "NV", "702", "89109"),
    ("Orlando", "FL", "407", "32801"),
    ("Phoenix", "AZ", "602", "85004"),
]
CITY_BY_NAME = {city[0]: city for city in CITIES}

STREETS = [
    "Lake Shore Dr",
    "Michigan Ave",
    "Market St",
    "Commerce Pkwy",
    "University Ave",
    "Main St",
    "Convention Center Dr",
    "Riverfront Blvd",
    "Park Ave",
    "Stadium Way",
    "Broadway",
    "Industrial Blvd",
    "Campus Dr",
    "Harbor Way",
    "Elm St",
    "Washington Blvd",
]

# The demo company's customers:
# (name, industry, tier, status, city, domain, owner username)
# fmt: off
DEMO_ACCOUNTS = [
    ("Harborview Convention Center", "events", "strategic", "customer", "Chicago", "harborviewcc.com", "sofia"),
    ("Lakeshore University", "education", "strategic", "customer", "Chicago", "lakeshore.edu", "sam"),
    ("The Aldridge Hotel & Conference Centre", "hospitality", "key", "customer", "Milwaukee", "aldridgehotel.com", "sam"),
    ("Summit Arena", "sports", "strategic", "customer", "Denver", "summitarena.com", "sofia"),
    ("Meridian Health System", "healthcare", "key", "customer", "Columbus", "meridianhealth.org", "sam"),
    ("Grace Fellowship Church", "worship", "standard", "customer", "Nashville", "gracefellowship.org", "sofia"),
    ("Cobalt Financial Group", "corporate", "key", "customer", "New York", "cobaltfinancial.com", "sam"),
    ("Brightwave Creative Agency", "media", "standard", "partner", "Chicago", "brightwave.agency", "sofia"),
    ("Kestrel Robotics", "technology", "key", "prospect", "Detroit", "kestrelrobotics.com", "sam"),
    ("Northgate Stadium Authority", "sports", "key", "prospect", "Kansas City", "northgatestadium.org", "sofia"),
    ("Riverbend Performing Arts Center", "events", "key", "customer", "St. Louis", "riverbendpac.org", "sam"),
    ("Caldwell & Pierce LLP", "corporate", "standard", "customer", "Chicago", "caldwellpierce.com", "sofia"),
    ("Orion Biotech", "technology", "standard", "prospect", "Boston", "orionbiotech.com", "sam"),
    ("Twin Rivers Transit Authority", "government", "key", "prospect", "Minneapolis", "twinriverstransit.org", "sofia"),
    ("City of Fairhaven", "government", "standard", "customer", "Indianapolis", "fairhaven-in.gov", "sam"),
    ("St. Brendan's Cathedral", "worship", "standard", "customer", "Boston", "stbrendans.org", "sofia"),
    ("Crescent Bay Resort & Casino", "hospitality", "strategic", "customer", "Las Vegas", "crescentbayresort.com", "sam"),
    ("Ironclad Software", "technology", "standard", "customer", "Seattle", "ironcladsoftware.com", "sofia"),
    ("Bluewater Medical Center", "healthcare", "standard", "prospect", "Milwaukee", "bluewatermed.org", "sam"),
    ("Northern Plains Community College", "education", "standard", "customer", "Minneapolis", "npcc.edu", "sofia"),
    ("Keystone Insurance", "corporate", "key", "customer", "Indianapolis", "keystoneins.com", "sam"),
    ("Redline Motorsports Park", "sports", "standard", "prospect", "Indianapolis", "redlinepark.com", "sofia"),
    ("Halcyon Events", "events", "key", "partner", "Nashville", "halcyonevents.com", "sam"),
    ("Sterling Auto Group", "retail", "standard", "prospect", "Dallas", "sterlingauto.com", "sofia"),
    ("Grand Meridian Hotel", "hospitality", "key", "customer", "Chicago", "grandmeridianhotel.com", "sofia"),
    ("Pacific Rim Expo Center", "events", "key", "prospect", "Seattle", "pacificrimexpo.com", "sam"),
    ("Lumen Broadcasting", "media", "standard", "customer", "Atlanta", "lumenbroadcasting.com", "sofia"),
    ("Ridgeway Academy", "education", "standard", "prospect", "Columbus", "ridgewayacademy.org", "sam"),
    ("Cascade Federal Credit Union", "corporate", "standard", "former", "Seattle", "cascadefcu.org", "sofia"),
    ("Oakridge Public Library", "government", "standard", "customer", "Detroit", "oakridgelibrary.org", "sam"),
    ("Union Station Events", "events", "standard", "customer", "Kansas City", "unionstationevents.com", "sofia"),
    ("Northwind Logistics", "corporate", "standard", "prospect", "Detroit", "northwindlogistics.com", "sam"),
    ("Highland Baptist Church", "worship", "standard", "prospect", "Dallas", "highlandbaptist.org", "sofia"),
    ("Apex Fitness Clubs", "retail", "standard", "customer", "Phoenix", "apexfitnessclubs.com", "sam"),
    ("Midtown Medical Campus", "healthcare", "key", "customer", "Atlanta", "midtownmedical.org", "sofia"),
    ("Sunset Amphitheater", "sports", "standard", "customer", "Phoenix", "sunsetamp.com", "sam"),
    ("Evergreen State University", "education", "key", "customer", "Seattle", "evergreenstate.edu", "sofia"),
    ("Vantage Pharmaceuticals", "corporate", "strategic", "customer", "New York", "vantagepharma.com", "sam"),
    ("Bayfront Conference Hotel", "hospitality", "standard", "prospect", "Orlando", "bayfrontconference.com", "sofia"),
    ("Trident Trade Shows", "events", "key", "customer", "Orlando", "tridenttradeshows.com", "sam"),
    ("Silver Creek School District", "education", "standard", "prospect", "Denver", "silvercreekschools.org", "sofia"),
    ("Quarry Lane Brewing Co.", "hospitality", "standard", "former", "Milwaukee", "quarrylanebrewing.com", "sam"),
]
# fmt: on

# Titles by industry, each with how the person usually weighs in on a purchase.
TITLES = {
    "corporate": [
        ("VP Corporate Communications", "decision_maker"),
        ("Director of Workplace Technology", "champion"),
        ("CFO", "finance"),
        ("Facilities Manager", "user"),
        ("IT Director", "blocker"),
        ("Procurement Manager", "finance"),
        ("Executive Assistant to the CEO", "other"),
    ],
    "education": [
        ("Vice President for Operations", "decision_maker"),
        ("Director of Academic Technology", "champion"),
        ("Vice President for Finance", "finance"),
        ("Events Coordinator", "user"),
        ("Facilities Manager", "user"),
        ("Purchasing Manager", "finance"),
        ("CIO", "blocker"),
    ],
    "events": [
        ("General Manager", "decision_maker"),
        ("Director of Events", "champion"),
        ("CFO", "finance"),
        ("Production Manager", "user"),
        ("Exhibitor Services Manager", "user"),
        ("Director of Operations", "decision_maker"),
        ("Technical Director", "champion"),
    ],
    "worship": [
        ("Executive Pastor", "decision_maker"),
        ("Technical Director", "champion"),
        ("Business Administrator", "finance"),
        ("Worship Director", "user"),
        ("Facilities Manager", "user"),
    ],
    "hospitality": [
        ("General Manager", "decision_maker"),
        ("Director of Catering & Events", "champion"),
        ("Controller", "finance"),
        ("Director of Engineering", "user"),
        ("Convention Services Manager", "user"),
        ("Director of Sales", "other"),
    ],
    "sports": [
        ("VP Operations", "decision_maker"),
        ("Director of Game Presentation", "champion"),
        ("CFO", "finance"),
        ("Broadcast Engineer", "user"),
        ("Facilities Manager", "user"),
        ("Director of Premium Seating", "other"),
    ],
    "healthcare": [
        ("VP Facilities", "decision_maker"),
        ("Simulation Center Manager", "champion"),
        ("CFO", "finance"),
        ("IT Director", "blocker"),
        ("Communications Manager", "user"),
    ],
    "government": [
        ("City Administrator", "decision_maker"),
        ("IT Manager", "champion"),
        ("Finance Director", "finance"),
        ("City Clerk", "user"),
        ("Public Information Officer", "user"),
        ("Purchasing Agent", "blocker"),
    ],
    "media": [
        ("Executive Producer", "decision_maker"),
        ("Head of Production", "champion"),
        ("Finance Manager", "finance"),
        ("Account Director", "user"),
        ("Creative Director", "other"),
    ],
    "technology": [
        ("VP Marketing", "decision_maker"),
        ("Trade Show Manager", "champion"),
        ("Procurement Lead", "finance"),
        ("Events Manager", "user"),
        ("Director of Field Marketing", "champion"),
    ],
    "retail": [
        ("Director of Store Design", "decision_maker"),
        ("Marketing Director", "champion"),
        ("CFO", "finance"),
        ("Facilities Manager", "user"),
    ],
}

# Words for the large data set's generated organisation names.
ORG_WORDS = _words(
    """
    Granite Harbor Summit Cedar Ironwood Lakeside Maple Northstar Oakmont Pinnacle Redwood
    Riverside Silverline Sterling Westbrook Bluewater Crescent Evergreen Highland Keystone
    Liberty Meridian Orchard Prairie Quarry Ridgeway Sunrise Trinity Union Vista
    """
)
ORG_KINDS = [
    ("Convention Center", "events"),
    ("University", "education"),
    ("Community College", "education"),
    ("Hotel", "hospitality"),
    ("Resort", "hospitality"),
    ("Arena", "sports"),
    ("Stadium", "sports"),
    ("Church", "worship"),
    ("Medical Center", "healthcare"),
    ("Health System", "healthcare"),
    ("Financial Group", "corporate"),
    ("Insurance", "corporate"),
    ("Logistics", "corporate"),
    ("Software", "technology"),
    ("Robotics", "technology"),
    ("Media Group", "media"),
    ("Broadcasting", "media"),
    ("Events", "events"),
    ("City Council", "government"),
    ("School District", "education"),
    ("Auto Group", "retail"),
]
