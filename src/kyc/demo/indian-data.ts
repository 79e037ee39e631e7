// Reference data for synthetic clients: names by region, cities with their state and pincode
// prefixes, banks with their IFSC prefixes and account lengths, depository participants.

export type Region = 'NORTH' | 'WEST' | 'SOUTH' | 'EAST';

export type RegionNames = { male: readonly string[]; female: readonly string[]; surnames: readonly string[] };

export const namesByRegion: Record<Region, RegionNames> = {
  NORTH: {
    male: ['Aarav', 'Rahul', 'Amit', 'Rohit', 'Vikas', 'Sanjay', 'Rajesh', 'Ankit', 'Manish', 'Deepak', 'Arjun', 'Karan', 'Nitin', 'Gaurav', 'Saurabh', 'Vivek', 'Abhishek', 'Pankaj', 'Harpreet', 'Mohit', 'Gurpreet', 'Yogesh'],
    female: ['Priya', 'Neha', 'Pooja', 'Anjali', 'Sunita', 'Kavita', 'Ritu', 'Swati', 'Shweta', 'Nisha', 'Komal', 'Aarti', 'Divya', 'Meena', 'Rekha', 'Sakshi', 'Preeti', 'Simran', 'Jyoti', 'Anita', 'Manpreet', 'Shalu'],
    surnames: ['Sharma', 'Verma', 'Gupta', 'Agarwal', 'Singh', 'Yadav', 'Mishra', 'Tiwari', 'Pandey', 'Chauhan', 'Saxena', 'Srivastava', 'Jain', 'Chaudhary', 'Rathore', 'Malhotra', 'Kapoor', 'Bansal', 'Goyal', 'Gill', 'Sandhu', 'Dhillon'],
  },
  WEST: {
    male: ['Aditya', 'Omkar', 'Sachin', 'Prasad', 'Mahesh', 'Tushar', 'Nikhil', 'Yash', 'Hardik', 'Jignesh', 'Ketan', 'Parth', 'Chirag', 'Rushikesh', 'Sagar', 'Mayur', 'Vishal', 'Swapnil', 'Dhaval', 'Bhavesh', 'Ramesh', 'Dilip'],
    female: ['Sneha', 'Pallavi', 'Ashwini', 'Madhuri', 'Shraddha', 'Rutuja', 'Komal', 'Hetal', 'Krupa', 'Dhara', 'Riddhi', 'Nidhi', 'Janhavi', 'Sayali', 'Vaishali', 'Mansi', 'Khushbu', 'Bhakti', 'Prachi', 'Urvashi', 'Manisha', 'Sushma'],
    surnames: ['Patil', 'Deshmukh', 'Kulkarni', 'Joshi', 'Jadhav', 'Pawar', 'Shinde', 'More', 'Gaikwad', 'Deshpande', 'Patel', 'Shah', 'Mehta', 'Desai', 'Parikh', 'Trivedi', 'Bhatt', 'Modi', 'Naik', 'Sawant', 'Kamat', 'Chavan'],
  },
  SOUTH: {
    male: ['Venkatesh', 'Srinivas', 'Ramesh', 'Suresh', 'Karthik', 'Arun', 'Prakash', 'Harsha', 'Naveen', 'Vijay', 'Raghav', 'Sai', 'Anand', 'Ganesh', 'Murali', 'Balaji', 'Vinod', 'Rajiv', 'Siddharth', 'Kiran', 'Mohanlal', 'Senthil'],
    female: ['Lakshmi', 'Divya', 'Kavya', 'Meenakshi', 'Anusha', 'Deepa', 'Revathi', 'Swathi', 'Priyanka', 'Sowmya', 'Bhavana', 'Gayathri', 'Haritha', 'Keerthi', 'Nandini', 'Padma', 'Radha', 'Sangeetha', 'Shalini', 'Vidya', 'Aishwarya', 'Janani'],
    surnames: ['Iyer', 'Iyengar', 'Reddy', 'Naidu', 'Nair', 'Menon', 'Pillai', 'Rao', 'Gowda', 'Krishnan', 'Subramanian', 'Raman', 'Shetty', 'Hegde', 'Varma', 'Chowdary', 'Kurup', 'Pai', 'Kamath', 'Murthy', 'Thomas', 'Kumar'],
  },
  EAST: {
    male: ['Arnab', 'Sourav', 'Subhajit', 'Debashis', 'Anirban', 'Sayan', 'Prasenjit', 'Biswajit', 'Rajat', 'Soumya', 'Tapas', 'Amitava', 'Pranab', 'Sudipta', 'Bikash', 'Manas', 'Jyotirmoy', 'Partha', 'Ritwik', 'Dipankar', 'Bhaskar', 'Himangshu'],
    female: ['Ananya', 'Moumita', 'Sharmila', 'Payel', 'Rituparna', 'Sohini', 'Tanushree', 'Madhumita', 'Priyanka', 'Shreya', 'Debjani', 'Arpita', 'Mousumi', 'Sampa', 'Nandita', 'Rimpa', 'Swagata', 'Oindrila', 'Paromita', 'Sudeshna', 'Bornali', 'Lipika'],
    surnames: ['Banerjee', 'Chatterjee', 'Mukherjee', 'Das', 'Bose', 'Ghosh', 'Sen', 'Dutta', 'Roy', 'Chakraborty', 'Mohanty', 'Patnaik', 'Mishra', 'Sahoo', 'Barua', 'Bora', 'Gogoi', 'Saikia', 'Sarkar', 'Majumdar', 'Lepcha', 'Debbarma'],
  },
};

export type City = { name: string; stateCode: string; pinPrefixes: readonly string[]; region: Region; weight: number };

// Weights roughly follow where demat accounts are opened (metros and Gujarat/Maharashtra lead).
export const cities: readonly City[] = [
  { name: 'Mumbai', stateCode: 'MH', pinPrefixes: ['400'], region: 'WEST', weight: 14 },
  { name: 'Pune', stateCode: 'MH', pinPrefixes: ['411', '412'], region: 'WEST', weight: 6 },
  { name: 'Nagpur', stateCode: 'MH', pinPrefixes: ['440'], region: 'WEST', weight: 2 },
  { name: 'Nashik', stateCode: 'MH', pinPrefixes: ['422'], region: 'WEST', weight: 1 },
  { name: 'Ahmedabad', stateCode: 'GJ', pinPrefixes: ['380', '382'], region: 'WEST', weight: 6 },
  { name: 'Surat', stateCode: 'GJ', pinPrefixes: ['394', '395'], region: 'WEST', weight: 3 },
  { name: 'Vadodara', stateCode: 'GJ', pinPrefixes: ['390', '391'], region: 'WEST', weight: 2 },
  { name: 'Rajkot', stateCode: 'GJ', pinPrefixes: ['360'], region: 'WEST', weight: 1 },
  { name: 'Panaji', stateCode: 'GA', pinPrefixes: ['403'], region: 'WEST', weight: 1 },
  { name: 'Silvassa', stateCode: 'DH', pinPrefixes: ['396'], region: 'WEST', weight: 0.2 },
  { name: 'New Delhi', stateCode: 'DL', pinPrefixes: ['110'], region: 'NORTH', weight: 9 },
  { name: 'Gurugram', stateCode: 'HR', pinPrefixes: ['122'], region: 'NORTH', weight: 2 },
  { name: 'Faridabad', stateCode: 'HR', pinPrefixes: ['121'], region: 'NORTH', weight: 1 },
  { name: 'Noida', stateCode: 'UP', pinPrefixes: ['201'], region: 'NORTH', weight: 2 },
  { name: 'Lucknow', stateCode: 'UP', pinPrefixes: ['226'], region: 'NORTH', weight: 2 },
  { name: 'Kanpur', stateCode: 'UP', pinPrefixes: ['208'], region: 'NORTH', weight: 1 },
  { name: 'Varanasi', stateCode: 'UP', pinPrefixes: ['221'], region: 'NORTH', weight: 1 },
  { name: 'Jaipur', stateCode: 'RJ', pinPrefixes: ['302', '303'], region: 'NORTH', weight: 3 },
  { name: 'Jodhpur', stateCode: 'RJ', pinPrefixes: ['342'], region: 'NORTH', weight: 1 },
  { name: 'Chandigarh', stateCode: 'CH', pinPrefixes: ['160'], region: 'NORTH', weight: 1 },
  { name: 'Ludhiana', stateCode: 'PB', pinPrefixes: ['141'], region: 'NORTH', weight: 1 },
  { name: 'Amritsar', stateCode: 'PB', pinPrefixes: ['143'], region: 'NORTH', weight: 1 },
  { name: 'Shimla', stateCode: 'HP', pinPrefixes: ['171'], region: 'NORTH', weight: 0.3 },
  { name: 'Dehradun', stateCode: 'UK', pinPrefixes: ['248'], region: 'NORTH', weight: 0.6 },
  { name: 'Jammu', stateCode: 'JK', pinPrefixes: ['180', '181'], region: 'NORTH', weight: 0.4 },
  { name: 'Srinagar', stateCode: 'JK', pinPrefixes: ['190'], region: 'NORTH', weight: 0.3 },
  { name: 'Leh', stateCode: 'LA', pinPrefixes: ['194'], region: 'NORTH', weight: 0.05 },
  { name: 'Bhopal', stateCode: 'MP', pinPrefixes: ['462'], region: 'NORTH', weight: 1 },
  { name: 'Indore', stateCode: 'MP', pinPrefixes: ['452'], region: 'NORTH', weight: 2 },
  { name: 'Raipur', stateCode: 'CG', pinPrefixes: ['492'], region: 'NORTH', weight: 0.7 },
  { name: 'Patna', stateCode: 'BR', pinPrefixes: ['800', '801'], region: 'NORTH', weight: 1.5 },
  { name: 'Ranchi', stateCode: 'JH', pinPrefixes: ['834'], region: 'NORTH', weight: 0.8 },
  { name: 'Jamshedpur', stateCode: 'JH', pinPrefixes: ['831'], region: 'NORTH', weight: 0.5 },
  { name: 'Bengaluru', stateCode: 'KA', pinPrefixes: ['560', '562'], region: 'SOUTH', weight: 8 },
  { name: 'Mysuru', stateCode: 'KA', pinPrefixes: ['570'], region: 'SOUTH', weight: 1 },
  { name: 'Mangaluru', stateCode: 'KA', pinPrefixes: ['575'], region: 'SOUTH', weight: 0.7 },
  { name: 'Chennai', stateCode: 'TN', pinPrefixes: ['600', '603'], region: 'SOUTH', weight: 5 },
  { name: 'Coimbatore', stateCode: 'TN', pinPrefixes: ['641'], region: 'SOUTH', weight: 1.5 },
  { name: 'Madurai', stateCode: 'TN', pinPrefixes: ['625'], region: 'SOUTH', weight: 1 },
  { name: 'Hyderabad', stateCode: 'TG', pinPrefixes: ['500', '501'], region: 'SOUTH', weight: 5 },
  { name: 'Warangal', stateCode: 'TG', pinPrefixes: ['506'], region: 'SOUTH', weight: 0.5 },
  { name: 'Visakhapatnam', stateCode: 'AP', pinPrefixes: ['530', '531'], region: 'SOUTH', weight: 1 },
  { name: 'Vijayawada', stateCode: 'AP', pinPrefixes: ['520', '521'], region: 'SOUTH', weight: 1 },
  { name: 'Kochi', stateCode: 'KL', pinPrefixes: ['682'], region: 'SOUTH', weight: 1.5 },
  { name: 'Thiruvananthapuram', stateCode: 'KL', pinPrefixes: ['695'], region: 'SOUTH', weight: 1 },
  { name: 'Kozhikode', stateCode: 'KL', pinPrefixes: ['673'], region: 'SOUTH', weight: 0.6 },
  { name: 'Puducherry', stateCode: 'PY', pinPrefixes: ['605'], region: 'SOUTH', weight: 0.3 },
  { name: 'Port Blair', stateCode: 'AN', pinPrefixes: ['744'], region: 'SOUTH', weight: 0.05 },
  { name: 'Kolkata', stateCode: 'WB', pinPrefixes: ['700'], region: 'EAST', weight: 5 },
  { name: 'Siliguri', stateCode: 'WB', pinPrefixes: ['734'], region: 'EAST', weight: 0.6 },
  { name: 'Durgapur', stateCode: 'WB', pinPrefixes: ['713'], region: 'EAST', weight: 0.4 },
  { name: 'Bhubaneswar', stateCode: 'OD', pinPrefixes: ['751'], region: 'EAST', weight: 1 },
  { name: 'Cuttack', stateCode: 'OD', pinPrefixes: ['753'], region: 'EAST', weight: 0.5 },
  { name: 'Guwahati', stateCode: 'AS', pinPrefixes: ['781'], region: 'EAST', weight: 1 },
  { name: 'Shillong', stateCode: 'ML', pinPrefixes: ['793'], region: 'EAST', weight: 0.2 },
  { name: 'Imphal', stateCode: 'MN', pinPrefixes: ['795'], region: 'EAST', weight: 0.15 },
  { name: 'Agartala', stateCode: 'TR', pinPrefixes: ['799'], region: 'EAST', weight: 0.15 },
  { name: 'Gangtok', stateCode: 'SK', pinPrefixes: ['737'], region: 'EAST', weight: 0.1 },
  { name: 'Aizawl', stateCode: 'MZ', pinPrefixes: ['796'], region: 'EAST', weight: 0.05 },
  { name: 'Kohima', stateCode: 'NL', pinPrefixes: ['797'], region: 'EAST', weight: 0.05 },
  { name: 'Itanagar', stateCode: 'AR', pinPrefixes: ['791'], region: 'EAST', weight: 0.05 },
];

export const buildings = ['Shanti Apartments', 'Sai Residency', 'Krishna Kunj', 'Green Park Society', 'Laxmi Niwas', 'Ganga Heights', 'Sunrise Towers', 'Om Sai Co-op Housing Society', 'Prestige Lakeside', 'Lodha Palava', 'Vrindavan Enclave', 'Ashiana Homes', 'Silver Oak Villa', 'Gokul Dham'];
export const streets = ['MG Road', 'Station Road', 'Nehru Nagar', 'Gandhi Chowk', 'Main Bazaar', 'Civil Lines', 'Model Town', 'Sector 12', 'Link Road', 'Ring Road', 'Anna Salai', 'Park Street', 'Jubilee Hills', 'Salt Lake Sector V', 'Koramangala 5th Block', 'Banjara Hills Road No 2'];
export const landmarks = ['Near Hanuman Mandir', 'Opp. SBI Branch', 'Behind Bus Stand', 'Near Railway Station', 'Opp. City Mall', 'Near Govt. School', 'Beside Post Office'];

export type Bank = { code: string; accountLength: number; weight: number };
/** IFSC prefixes of large Indian banks, with typical account-number lengths. */
export const banks: readonly Bank[] = [
  { code: 'SBIN', accountLength: 11, weight: 22 },
  { code: 'HDFC', accountLength: 14, weight: 18 },
  { code: 'ICIC', accountLength: 12, weight: 14 },
  { code: 'UTIB', accountLength: 15, weight: 9 },
  { code: 'KKBK', accountLength: 10, weight: 7 },
  { code: 'PUNB', accountLength: 16, weight: 5 },
  { code: 'BARB', accountLength: 14, weight: 5 },
  { code: 'CNRB', accountLength: 13, weight: 4 },
  { code: 'UBIN', accountLength: 15, weight: 3 },
  { code: 'IDIB', accountLength: 10, weight: 2 },
  { code: 'YESB', accountLength: 15, weight: 2 },
  { code: 'INDB', accountLength: 12, weight: 2 },
  { code: 'FDRL', accountLength: 14, weight: 2 },
  { code: 'IDFB', accountLength: 11, weight: 2 },
  { code: 'KARB', accountLength: 16, weight: 1 },
  { code: 'IOBA', accountLength: 15, weight: 1 },
];

/** CDSL DP ids (8 digits) and NSDL DP ids (IN + 6 digits), as brokers' depository arms. */
export const cdslDpIds = ['12010600', '12033200', '12081600', '13041400', '12044700', '12019101'];
export const nsdlDpIds = ['IN300214', 'IN301549', 'IN302679', 'IN303028', 'IN300484', 'IN301330'];

export const foreignPlaces: ReadonlyArray<{ country: string; city: string; postalDigits: number; mobilePrefix: string; mobileDigits: number }> = [
  { country: 'AE', city: 'Dubai', postalDigits: 5, mobilePrefix: '+9715', mobileDigits: 8 },
  { country: 'US', city: 'San Jose', postalDigits: 5, mobilePrefix: '+1408', mobileDigits: 7 },
  { country: 'GB', city: 'London', postalDigits: 0, mobilePrefix: '+447', mobileDigits: 9 },
  { country: 'SG', city: 'Singapore', postalDigits: 6, mobilePrefix: '+658', mobileDigits: 7 },
  { country: 'CA', city: 'Toronto', postalDigits: 0, mobilePrefix: '+1416', mobileDigits: 7 },
  { country: 'AU', city: 'Sydney', postalDigits: 4, mobilePrefix: '+614', mobileDigits: 8 },
  { country: 'SA', city: 'Riyadh', postalDigits: 5, mobilePrefix: '+9665', mobileDigits: 8 },
];

export const emailDomains = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.co.in', 'rediffmail.com', 'outlook.com', 'hotmail.com', 'icloud.com'];
export const entitySuffixes: Record<string, readonly string[]> = {
  C: ['Private Limited', 'Pvt Ltd', 'Limited'],
  F: ['LLP', '& Co', 'Associates'],
  H: ['HUF'],
  T: ['Charitable Trust', 'Family Trust'],
  A: ['Investors Association', 'Welfare Society'],
};
export const entityStems = ['Shree Ganesh', 'Sai Krupa', 'Balaji', 'Laxmi', 'Om', 'Mahalaxmi', 'Vinayak', 'Sunrise', 'Kaveri', 'Narmada', 'Himalaya', 'Sahyadri', 'Annapurna', 'Trident'];
